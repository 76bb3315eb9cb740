"""An SCP is attached to the management account, where it has no effect.

What it does: Flags SCPs other than AWS-managed ones attached directly to the management account.

Why it matters: SCPs never restrict users and roles of the management account; a guardrail
attached there protects nothing and gives a false sense of safety.

Example: targets: [account:management]

Fix: Detach it; protect the management account by keeping its users few, with MFA, and
without workloads.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Target
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP

RULE = define(__name__, __doc__, id="LZ206", severity="warning", doc_url=sources.SCPS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    management = model.management
    if management is None:
        return
    for policy in model.policies_on(Target("account", management.name), SCP):
        if not policy.aws_managed:
            yield RULE.at(
                policy,
                f"SCP {policy.name} is attached to the management account {management.name}, "
                "which SCPs do not restrict",
            )
