"""More than five SCPs are attached directly to one root, OU or account.

What it does: Counts the service control policies attached directly to each target, the
AWS-managed FullAWSAccess included. Inherited policies do not count.

Why it matters: Five SCPs per target is a hard AWS limit; AttachPolicy fails on the sixth.

Example: The root carries FullAWSAccess plus five guardrails: six.

Fix: Merge guardrails into fewer policies (each up to 5,120 characters), or attach some to
the OUs below instead of the root.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, all_targets, source_of

MAX_SCPS = 5

RULE = define(__name__, __doc__, id="LZ002", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for target in all_targets(model):
        attached = model.policies_on(target, SCP)
        if len(attached) > MAX_SCPS:
            names = ", ".join(p.name for p in attached)
            yield RULE.finding(
                target.address,
                f"{len(attached)} SCPs are attached directly to {target.address} ({names}); "
                f"AWS allows {MAX_SCPS}",
                source_of(model, target),
            )
