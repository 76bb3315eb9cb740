"""A principal of a workload account (or of the backup account) could delete central copies.

What it does: Reads every central vault (on audit: as AWS has it): locked in compliance mode;
its access policy allows no destructive call (delete, shorten, unlock) to accounts' principals;
deleting recovery points denied to all but the break-glass role (in it or an SCP at the root).

Why it matters: An attacker with a workload account's credentials deletes its data and its
own backups; the backup account's copies are all that is left, if nothing can remove them.

Example: A vault without Vault Lock, or an access policy allowing backup:* to the organization.

Fix: Keep the vault orgstack makes (plan and apply restore its policy and its lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel, Target
from orgstack.model.backup import DELETES, LOOSENING, SECTION
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, statements
from orgstack.rules.logs import covers, people, policy_statements

RULE = define(__name__, __doc__, id="LZ218", severity="error", doc_url=sources.VAULT_LOCK)


def _vaults(model: OrgModel) -> dict[str, Any]:
    from orgstack.kinds.backup_vault.desired import desired

    values = model.live_resources
    if values is None:
        values = desired(model, {a.address: a.id for a in model.accounts if a.id})
    return {a: v for a, v in values.items() if a.startswith("backup-vault:") and "/vault" in a}


def _denies(statement: dict[str, Any]) -> bool:  # exempting named roles only
    return (
        statement.get("Effect") == "Deny"
        and covers(as_list(statement.get("Action")), "backup:DeleteRecoveryPoint")
        and set(statement.get("Condition") or {}) <= {"ArnNotLike", "ArnNotEquals"}
    )


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = model.sections.get(SECTION)
    if (account := model.account(section["account"]) if section else None) is None:
        return
    scps = [s for p in model.policies_on(Target("root"), SCP) for s in statements(p)]
    for address, vault in sorted(_vaults(model).items()):
        name, lock = vault.get("name"), vault.get("lock") or {}
        if not lock or lock.get("grace_days") is None:
            yield RULE.finding(
                address,
                f"{name}: not locked in compliance mode (Vault Lock); the backup account's "
                "principals can delete its copies",
                account.source,
            )
        found = policy_statements(vault.get("policy"))
        for statement in found:
            actions = as_list(statement.get("Action"))
            harmful = [a for a in (*DELETES, *LOOSENING) if covers(actions, a)]
            if statement.get("Effect") == "Allow" and people(statement) and harmful:
                yield RULE.finding(
                    address,
                    f"{name}: {statement.get('Sid') or 'a statement'} of the access policy "
                    f"allows {', '.join(harmful)} to principals of accounts",
                    account.source,
                )
        if not any(_denies(s) for s in [*found, *scps]):
            yield RULE.finding(
                address,
                f"{name}: nothing denies deleting recovery points to all but the break-glass "
                "role (an access policy Deny or an SCP at the root)",
                account.source,
            )
