"""A root, OU or member account has no SCP that allows anything.

What it does: Checks that the root, every OU and every member account has at least one SCP
attached directly with an Allow statement (FullAWSAccess, unless organization.full_aws_access
is false and your own allow policies replace it).

Why it matters: SCPs filter at every level: an action is allowed only if an SCP at the root,
at every OU on the way and at the account allows it. A level without an allowing SCP denies
everything below it, an accidental deny-all. AWS also refuses to detach the last SCP.

Example: full_aws_access: false and an allow policy attached to the root only.

Fix: Keep full_aws_access: true, or attach an allow policy to every OU and account as well.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, all_targets, allows_something, source_of

RULE = define(__name__, __doc__, id="LZ201", severity="error", doc_url=sources.SCPS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    management = model.management
    # Read each policy once, not once per target it is attached to (5,000 accounts).
    allowing = {p.address for p in model.policies if p.type == SCP and allows_something(p)}
    for target in all_targets(model):
        if management is not None and target.kind == "account" and target.name == management.name:
            continue
        if not any(p.address in allowing for p in model.policies_on(target, SCP)):
            yield RULE.finding(
                target.address,
                f"{target.address} has no SCP attached that allows anything; every action below "
                "it would be denied",
                source_of(model, target),
            )
