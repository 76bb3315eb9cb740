"""An access group is granted nothing.

What it does: Flags groups under access.groups that no grant of the matrix names.

Why it matters: A group without grants is either a leftover (its members keep a group that
means nothing) or a missing grant (people who should work cannot). Either way the matrix no
longer tells the whole story of who may do what.

Example: groups: {data-team: {members: [ana]}} and no grant with group: data-team.

Fix: Add the grants the group needs, or remove the group.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ211", severity="warning", doc_url=sources.IAM_BEST_PRACTICES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.access is None:
        return
    granted = {g.group for g in model.access.grants}
    for group in model.access.groups:
        if group.name not in granted:
            yield RULE.at(group, f"group {group.name} has no grants")
