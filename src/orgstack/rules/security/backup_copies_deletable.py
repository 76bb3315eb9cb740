"""A principal of a workload account (or of the backup account) could delete central copies.

What it does: Reads every central vault and its key (on audit: as AWS has them): locked in
compliance mode; its access policy allows no destructive call (delete, shorten, unlock) to
accounts' principals; deleting recovery points denied to all but the break-glass role (in it
or an SCP at the root); the key's policy denies deleting, disabling or rewriting it to all but
the break-glass role (without it every copy is unreadable); and, when there is no log archive
to judge it, an SCP at the root denies making or re-trusting the break-glass role.

Why it matters: An attacker with a workload account's credentials deletes its data and its
own backups; the backup account's copies are all that is left, if nothing can remove them.

Example: A vault without Vault Lock, or an access policy allowing backup:* to the organization.

Fix: Keep the vault and key orgstack makes (plan and apply restore their policies and the
lock) and the protect-break-glass-role guardrail at the root.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel, Target
from orgstack.model.backup import SECTION
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.guards import break_glass_gaps, key_gaps, vault_gaps
from orgstack.rules.helpers import SCP, statements, values_of

RULE = define(__name__, __doc__, id="LZ218", severity="error", doc_url=sources.VAULT_LOCK)


def _vaults(model: OrgModel) -> dict[str, Any]:
    return values_of(model, "backup-vault")


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = model.sections.get(SECTION)
    if section is None or (account := model.account(section["account"])) is None:
        return
    scps = [s for p in model.policies_on(Target("root"), SCP) for s in statements(p)]
    glass, role = section["break_glass_role"], model.organization.access_role
    gaps = [] if model.sections.get("logging") else list(break_glass_gaps(scps, glass, role))
    for address, value in sorted(_vaults(model).items()):
        if address.endswith("/key"):
            gaps += list(key_gaps(value, glass, role))
    yield from (RULE.finding(account.address, m, account.source) for m in gaps)
    for address, vault in sorted(_vaults(model).items()):
        if address.endswith("/vault"):
            yield from (RULE.finding(address, m, account.source) for m in vault_gaps(vault, scps))
