"""An account or OU has more than 50 tags.

What it does: Counts the tags of every account and OU.

Why it matters: Organizations allows at most 50 tags per root, OU or account; TagResource
fails beyond that.

Example: An account tagged with one tag per cost-allocation dimension and per contact.

Fix: Remove tags nobody reads, or combine values (for example one contact tag).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import Account, OrganizationalUnit, OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_TAGS = 50

RULE = define(__name__, __doc__, id="LZ013", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    tagged: list[OrganizationalUnit | Account] = [*model.ous, *model.accounts]
    for obj in tagged:
        if len(obj.tags) > MAX_TAGS:
            yield RULE.at(obj, f"{obj.address} has {len(obj.tags)} tags; AWS allows {MAX_TAGS}")
