"""A user belongs to no group.

What it does: Flags users under access.users that no group lists as a member.

Why it matters: Grants go to groups, so a user in no group can enter no account: usually a
person who left (whose user should go) or one whose group was forgotten.

Example: users: {bob: {}} and no group with bob in its members.

Fix: Add the user to the group that matches their job, or remove the user.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ212", severity="warning", doc_url=sources.IAM_BEST_PRACTICES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.access is None:
        return
    members = {m for g in model.access.groups for m in g.members}
    for user in model.access.users:
        if user.name not in members:
            yield RULE.at(user, f"user {user.name} is in no group")
