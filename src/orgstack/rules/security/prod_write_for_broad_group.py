"""A broad group, or anyone as admin, can change production.

What it does: Flags grants of a level that writes (admin, poweruser, or a custom level) in a
prod-stage account to a broad group: one named like everyone, all, staff, employees or
developers, or holding at least half of all users (of four or more). Admin in prod is flagged
for every group.

Why it matters: Only a few seniors or DevOps engineers should change production; everyone else
reads prod logs. A broad write grant turns any compromised laptop into a production incident,
and admin in prod can switch off the guardrails themselves.

Example: {group: developers, level: poweruser, accounts: {stage: prod}}.

Fix: Grant readonly in prod to the broad group, and poweruser to a small devops group; use
admin in prod only as a break-glass exception with an ignore: entry that says why.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ209", severity="warning", doc_url=sources.IAM_BEST_PRACTICES)
BROAD_NAMES = frozenset({"everyone", "all", "all-users", "staff", "employees", "developers"})


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    access = model.access
    if access is None:
        return
    prod = {a.name for a in model.accounts if a.stage == "prod"}
    users = len(access.users)
    for grant in access.grants:
        level = access.level(grant.level)
        accounts = [a for a in grant.accounts if a in prod]
        if not accounts or not level.writes:
            continue
        group = access.group(grant.group)
        size = len(group.members) if group else 0
        broad = grant.group.lower() in BROAD_NAMES or (users >= 4 and size * 2 >= users)
        if grant.level == "admin":
            yield RULE.at(
                grant,
                f"group {grant.group} is admin in prod account(s) {', '.join(accounts)}",
            )
        elif broad:
            yield RULE.at(
                grant,
                f"broad group {grant.group} ({size} of {users} users) gets {grant.level} in "
                f"prod account(s) {', '.join(accounts)}",
            )
