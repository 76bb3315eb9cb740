"""The management account is declared as a stage of a workload.

What it does: Flags a management account that has a stage or a workload set.

Why it matters: SCPs do not restrict users and roles in the management account, and whoever
can change it controls the whole organization. AWS advises keeping only organization, billing
and identity administration there.

Example: management: {purpose: management, ou: root, stage: prod, workload: billing}

Fix: Create a stage account for the workload (purpose: workload) and move the resources there.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ101", severity="error", doc_url=sources.MGMT_BEST_PRACTICES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    account = model.management
    if account is not None and (account.stage or account.workload):
        what = ", ".join(
            f"{k}={v}" for k, v in (("workload", account.workload), ("stage", account.stage)) if v
        )
        yield RULE.at(
            account,
            f"the management account {account.name} holds a workload ({what}); "
            "keep workloads in member accounts",
        )
