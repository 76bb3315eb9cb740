"""The backup account holds no copies: the spec declares no backup: section.

What it does: Looks for an account with purpose backup while the spec has no backup: section
(the locked central vault and the organization backup policy that copies into it).

Why it matters: The account exists so that backups survive a compromised workload account;
without a vault there and a policy copying into it, it is only a label.

Example: A spec with a backup account and no backup: section.

Fix: Add backup: (orgstack init writes one in every blueprint with a backup account): the
central vault with Vault Lock, and backup plans by tag copied into it.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.backup import SECTION
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ119", severity="warning", doc_url=sources.BACKUP_ACCOUNT)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.sections.get(SECTION) is not None:
        return
    for account in model.accounts:
        if account.purpose == "backup":
            yield RULE.at(
                account,
                f"account {account.name} (backup) holds no copies: no backup: section declares "
                "the central vault and the backup policy",
            )
