"""The break-glass role the guardrails exempt is not the one orgstack makes for the people
the spec names.

What it does: With a break_glass: section, checks that logging.break_glass_role and
backup.break_glass_role name its role (the bucket, key and vault policies exempt those
names), and, with access.mode iam, that every trusted user name is a user of access.users.

Why it matters: The break-glass role is the only exemption of the log and backup guardrails.
An exemption naming a role orgstack does not make is a role any account's administrator may
try to make; a trusted name no user has is a door nobody holds the key to.

Example: break_glass: {role: EmergencyAdmin} while logging.break_glass_role is still
OrgstackBreakGlass.

Fix: Name the same role in all three sections; list users that exist in access.users (or
give their ARNs).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ221", severity="error", doc_url=sources.SCP_EXAMPLES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    glass = model.sections.get("break_glass")
    if glass is None:
        return
    places, role = glass["places"], glass["role"]
    for name in ("logging", "backup"):
        section = model.sections.get(name)
        if section is not None and section["break_glass_role"] != role:
            account = model.account(section["account"])
            yield RULE.finding(
                account.address if account else "organization",
                f"{name}.break_glass_role is {section['break_glass_role']!r} but "
                f"break_glass.role is {role!r}: the {name} guardrails exempt a role orgstack "
                "does not make",
                account.source if account else places.of("role"),
            )
    access = model.access
    if access is None or access.mode != "iam":
        return
    users = {u.name for u in access.users}
    for index, entry in enumerate(glass["trusted"]):
        if not entry.startswith("arn:") and entry not in users:
            yield RULE.finding(
                "break-glass",
                f"break_glass.trusted: {entry!r} is not a user of access.users (the role "
                f"would trust {access.identity_account}'s user {entry}, which orgstack does "
                "not make)",
                places.of(f"trusted.{index}", ""),
            )
