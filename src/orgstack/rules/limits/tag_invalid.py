"""A tag key or value is too long, or uses the reserved aws: prefix.

What it does: Checks every tag of every account and OU: keys of 1 to 128 characters, values of
at most 256, and no key starting with "aws:".

Why it matters: TagResource rejects such tags, in the middle of an apply.

Example: tags: {"aws:owner": "platform"}

Fix: Shorten the key or value, and pick a key without the aws: prefix (for example owner).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import Account, OrganizationalUnit, OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_KEY, MAX_VALUE = 128, 256

RULE = define(__name__, __doc__, id="LZ014", severity="error", doc_url=sources.TAGGING)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    tagged: list[OrganizationalUnit | Account] = [*model.ous, *model.accounts]
    for obj in tagged:
        for key, value in obj.tags.items():
            if not 1 <= len(key) <= MAX_KEY:
                yield RULE.at(
                    obj,
                    f"{obj.address}: tag key {key[:40]!r}… has {len(key)} characters; "
                    f"AWS allows 1 to {MAX_KEY}",
                )
            if len(value) > MAX_VALUE:
                yield RULE.at(
                    obj,
                    f"{obj.address}: tag {key} has a value of {len(value)} characters; "
                    f"AWS allows {MAX_VALUE}",
                )
            if key.lower().startswith("aws:"):
                yield RULE.at(obj, f"{obj.address}: tag key {key!r} uses the reserved prefix aws:")
