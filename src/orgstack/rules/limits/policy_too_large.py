"""A policy is larger than AWS allows, measured after minification.

What it does: Measures each policy as orgstack uploads it (JSON without whitespace) against the
AWS maximum: 5,120 characters for an SCP or RCP, 2,500 for an AI opt-out policy, 10,000 for a
tag, backup or other management policy.

Why it matters: CreatePolicy and UpdatePolicy reject a larger document. The console strips
whitespace before saving, the SDK does not; orgstack always minifies, so this is the real size.

Example: An SCP listing 400 denied actions, 6,300 characters once minified.

Fix: Use wildcards (ec2:Delete*), split the policy in two, or move statements to another
target. SCPs are limited to five per target, so prefer wildcards.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_SIZE = {
    PolicyType.SERVICE_CONTROL: 5120,
    PolicyType.RESOURCE_CONTROL: 5120,
    PolicyType.AI_OPT_OUT: 2500,
}

RULE = define(__name__, __doc__, id="LZ004", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        size, limit = len(policy.content), MAX_SIZE.get(policy.type, 10000)
        if size > limit:
            yield RULE.at(
                policy,
                f"policy {policy.name} is {size:,} characters minified; AWS allows {limit:,} "
                f"for a {policy.type.aws_name}",
            )
