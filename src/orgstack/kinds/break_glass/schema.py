"""The ``break_glass:`` section: who may use the emergency role, and where it exists."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from orgstack.errors import Problem
from orgstack.model import Places, Source
from orgstack.spec.fields import Strict
from orgstack.spec.yamlread import Located

SECTION = "break_glass"
DESCRIPTION = "The break-glass role: the only exemption of the log and backup guardrails."
ROLE = r"^[\w+=,.@-]{1,64}$"
#: An IAM user's name (IAM's grammar), taken as a user of the identity account.
USER = re.compile(r"^[\w+=,.@-]{1,64}$")
#: An IAM user or role by its ARN (a trust policy's principal names one exactly: no wildcard).
PRINCIPAL = re.compile(r"^arn:aws:iam::\d{12}:(user|role)/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")
#: The purposes whose accounts get the role unless ``accounts`` names others.
PURPOSES = ("log-archive", "backup")


class BreakGlassSpec(Strict):
    """The break-glass role: made by orgstack, trusting only these principals, with MFA."""

    role: Annotated[
        str,
        Field(
            pattern=ROLE,
            description=(
                "The role's name; logging.break_glass_role and backup.break_glass_role must "
                "name it too (the guardrails and bucket, key and vault policies exempt it)."
            ),
        ),
    ] = "OrgstackBreakGlass"
    trusted: Annotated[
        list[str],
        Field(
            min_length=1,
            description=(
                "Who may assume it (with MFA): IAM user names of the identity account (with "
                "access.mode iam, users of access.users; otherwise IAM users orgstack makes in "
                "the management account, without password or key, for when Identity Center "
                "cannot be reached), or IAM user or role ARNs."
            ),
        ),
    ]
    accounts: Annotated[
        list[str] | None,
        Field(
            description=(
                "The accounts that get the role; default: the accounts whose purpose is "
                "log-archive or backup."
            )
        ),
    ] = None
    max_session_hours: Annotated[
        int, Field(ge=1, le=12, description="How long one break-glass session may last.")
    ] = 1


Schema = BreakGlassSpec


def compile(
    section: BreakGlassSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """The role, its trusted principals and accounts, or None with problems."""
    from orgstack.model.access import PREFIX
    from orgstack.spec.messages import did_you_mean

    before = len(problems)
    if section.role.startswith(PREFIX) or section.role == model.organization.access_role:
        problems.append(
            located.value_pos((SECTION, "role")).problem(
                f"{SECTION}.role: {section.role!r} is "
                + (
                    "orgstack's access role"
                    if section.role == model.organization.access_role
                    else f"named like the access matrix's roles ({PREFIX}…)"
                )
                + "; the break-glass role needs a name of its own"
            )
        )
    for index, entry in enumerate(section.trusted):
        where = located.value_pos((SECTION, "trusted", index))
        if not (USER.match(entry) or PRINCIPAL.match(entry)):
            problems.append(
                where.problem(
                    f"{SECTION}.trusted: {entry!r} is neither an IAM user name nor an IAM user "
                    "or role ARN (arn:aws:iam::<12-digit account>:user/<name> or "
                    ":role/<name>, no wildcards)"
                )
            )
        elif section.trusted.index(entry) != index:
            problems.append(where.problem(f"{SECTION}.trusted: {entry!r} is listed twice"))
    names = [a.name for a in model.accounts]
    if section.accounts is None:
        accounts = [a.name for a in model.accounts if a.purpose in PURPOSES]
        if not accounts:
            problems.append(
                located.key_pos((SECTION,)).problem(
                    f"{SECTION}: selects no account (none has purpose log-archive or backup); "
                    f"set {SECTION}.accounts"
                )
            )
    else:
        accounts = list(section.accounts)
        for index, name in enumerate(accounts):
            if name not in names:
                problems.append(
                    located.value_pos((SECTION, "accounts", index)).problem(
                        f"{SECTION}.accounts: no account '{name}'{did_you_mean(name, names)}"
                    )
                )
    if len(problems) > before:
        return None
    at = {"": located.key_pos((SECTION,)), "role": located.value_pos((SECTION, "role"))}
    at |= {
        f"trusted.{i}": located.value_pos((SECTION, "trusted", i))
        for i in range(len(section.trusted))
    }
    return {
        "places": Places({path: Source(p.file, p.line, p.column) for path, p in at.items()}),
        "role": section.role,
        "trusted": list(section.trusted),
        "accounts": accounts,
        "max_session_s": section.max_session_hours * 3600,
    }
