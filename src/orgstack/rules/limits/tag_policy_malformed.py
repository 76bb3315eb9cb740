"""A tag policy does not follow the tag policy syntax.

What it does: Checks every tag policy: a top-level "tags" object; under it, one object per
tag with a "tag_key" that sets "@@assign" to the key's spelling; only the keys tag_key,
tag_value, enforced_for and report_required_tag_for.

Why it matters: AWS rejects a malformed tag policy at upload time, in the middle of an apply.

Example: {"tags": {"stage": {"tag_value": {"@@assign": ["dev", "prod"]}}}} (no tag_key).

Fix: Give every tag a "tag_key": {"@@assign": "<Key>"}; see the tag policy syntax reference.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import document

TAG_KEYS = {"tag_key", "tag_value", "enforced_for", "report_required_tag_for"}

RULE = define(__name__, __doc__, id="LZ008", severity="error", doc_url=sources.TAG_POLICY_SYNTAX)


def problems(doc: dict[str, object]) -> Iterator[str]:
    tags = doc.get("tags")
    if not isinstance(tags, dict):
        yield 'needs a top-level "tags" object'
        return
    for key in sorted(set(doc) - {"tags"}):
        yield f"has unknown top-level key {key!r}"
    for name, spec in tags.items():
        if not isinstance(spec, dict):
            yield f"tag {name!r} must be an object"
            continue
        tag_key = spec.get("tag_key")
        if not (isinstance(tag_key, dict) and isinstance(tag_key.get("@@assign"), str)):
            yield f'tag {name!r} needs "tag_key": {{"@@assign": "<Key>"}}'
        for key in sorted(set(spec) - TAG_KEYS):
            yield f"tag {name!r} has unknown key {key!r}"


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type == PolicyType.TAG:
            for problem in problems(document(policy)):
                yield RULE.at(policy, f"tag policy {policy.name} {problem}")
