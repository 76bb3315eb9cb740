"""The ``access:`` section of the spec: users, groups, levels and the grant matrix."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from orgstack.spec.fields import Region
from orgstack.spec.fields import Strict as _Strict
from orgstack.spec.selectors import AccountSelectorSpec

SECTION = "access"
DESCRIPTION = "Cross-account access: users, groups, the matrix."

USER_RE = r"^[\w+=,.@-]{1,64}$"
LEVEL_RE = r"^[a-z][a-z0-9-]{0,22}$"
MANAGED_ARN_RE = r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$"
StrList = str | list[str]


class AccessUserSpec(_Strict):
    """A person: an IAM user in the identity account, or a user in the Identity Center store."""

    email: Annotated[
        str | None,
        Field(
            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
            description="E-mail (required by Identity Center; a tag on the IAM user).",
        ),
    ] = None
    name: Annotated[
        str | None, Field(min_length=1, description="Display name, e.g. Alice Doe.")
    ] = None


class AccessGroupSpec(_Strict):
    """A group; grants go to groups."""

    members: Annotated[list[str], Field(description="User names (keys of access.users).")] = []


class LevelSpec(_Strict):
    """A custom permission level: AWS managed policies and/or an inline policy."""

    managed: Annotated[
        list[Annotated[str, StringConstraints(pattern=MANAGED_ARN_RE)]],
        Field(
            description=(
                "Managed policy ARNs, e.g. "
                "arn:aws:iam::aws:policy/job-function/NetworkAdministrator."
            )
        ),
    ] = []
    file: Annotated[
        str | None, Field(description="Inline policy JSON, relative to the spec file.")
    ] = None
    content: Annotated[
        dict[str, Any] | None, Field(description="The inline policy document, instead of file.")
    ] = None
    description: Annotated[str, Field(max_length=700, description="What the level is for.")] = ""


class GrantSpec(_Strict):
    """One row of the access matrix: a group gets a level in the selected accounts."""

    group: Annotated[str, Field(description="The group (a key of access.groups).")]
    level: Annotated[
        str,
        Field(
            description=(
                "admin, poweruser, readonly, billing, security-audit, network-admin, or a key of "
                "access.levels."
            )
        ),
    ]
    accounts: Annotated[
        Literal["all"] | AccountSelectorSpec,
        Field(description="all, or a selector: stage, purpose, ou, tag, account."),
    ]
    session_hours: Annotated[
        int, Field(ge=1, le=12, description="Maximum session length in hours (1-12).")
    ] = 1
    mfa: Annotated[
        bool, Field(description="Require MFA to switch role (IAM mode). Keep it true.")
    ] = True


class AccessSpec(_Strict):
    """Who may enter which account at which level."""

    mode: Annotated[
        Literal["iam", "identity-center"],
        Field(
            description=(
                "iam: IAM users and groups in one identity account switch role into member "
                "accounts; identity-center: permission sets and account assignments."
            )
        ),
    ]
    identity_account: Annotated[
        str | None,
        Field(description="iam mode: the account holding the IAM users (default: management)."),
    ] = None
    sso_start_url: Annotated[
        str | None,
        Field(
            pattern=r"^https://\S+$",
            description=(
                "identity-center: the access portal URL (default: from the identity store)."
            ),
        ),
    ] = None
    sso_region: Annotated[
        Region | None,
        Field(description="identity-center: the Region of the instance (default: home_region)."),
    ] = None
    users: Annotated[
        dict[Annotated[str, StringConstraints(pattern=USER_RE)], AccessUserSpec],
        Field(description="Users, by user name."),
    ] = {}
    groups: Annotated[
        dict[Annotated[str, StringConstraints(pattern=USER_RE)], AccessGroupSpec],
        Field(description="Groups, by name."),
    ] = {}
    levels: Annotated[
        dict[Annotated[str, StringConstraints(pattern=LEVEL_RE)], LevelSpec],
        Field(description="Custom permission levels, by name."),
    ] = {}
    grants: Annotated[list[GrantSpec], Field(description="The access matrix.")] = []


Schema = AccessSpec
