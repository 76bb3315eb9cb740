"""More than ten tag policies are attached directly to one root, OU or account.

What it does: Counts the tag policies attached directly to each target.

Why it matters: Ten tag policies per target is a hard AWS limit; AttachPolicy fails beyond it.

Example: Eleven tag policies, one per tag key, all attached to the root.

Fix: Put several tag keys into one tag policy; a tag policy may hold up to 10,000 characters.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import all_targets, source_of

MAX_TAG_POLICIES = 10

RULE = define(__name__, __doc__, id="LZ003", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for target in all_targets(model):
        attached = model.policies_on(target, PolicyType.TAG)
        if len(attached) > MAX_TAG_POLICIES:
            yield RULE.finding(
                target.address,
                f"{len(attached)} tag policies are attached directly to {target.address}; "
                f"AWS allows {MAX_TAG_POLICIES}",
                source_of(model, target),
            )
