"""A tag policy does not follow the tag policy syntax.

What it does: Checks every tag policy against AWS's documented syntax: a top-level "tags"
object; under it one object per tag policy key, holding tag_key, tag_value, enforced_for and
report_required_tag_for (each optional: a child policy may only change tag_value of a key its
parent defines); each of those an object of value-setting operators (@@assign, @@append,
@@remove; tag_key takes only @@assign, a string: the policy's key as AWS should spell it, the
same key but for case, at most 128 characters); @@operators_allowed_for_child_policies (a
list of @@all, @@none, @@assign, @@append, @@remove) at any level. Each problem points at the
line of the part to fix.

Why it matters: AWS rejects a malformed tag policy at upload time, in the middle of an apply.

Example: {"tags": {"stage": {"tag_key": "stage"}}} (tag_key must be {"@@assign": "stage"}).

Fix: Write each field as an operator object, e.g. "tag_key": {"@@assign": "<Key>"}; see the
tag policy syntax reference.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.model.tagpolicy import problems
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import document

RULE = define(__name__, __doc__, id="LZ008", severity="error", doc_url=sources.TAG_POLICY_SYNTAX)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type == PolicyType.TAG:
            for path, problem in problems(document(policy)):
                yield RULE.finding(
                    policy.address, f"tag policy {policy.name} {problem}", policy.located(path)
                )
