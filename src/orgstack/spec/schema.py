"""Pydantic models of ``orgstack.yaml``; every model forbids unknown keys."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from orgstack.model import KNOWN_STAGES, PURPOSES

SPEC_VERSION: Literal[1] = 1

Purpose = Literal[
    "management",
    "security",
    "log-archive",
    "network",
    "backup",
    "shared-services",
    "build",
    "workload",
    "sandbox",
]
assert tuple(Purpose.__args__) == PURPOSES  # type: ignore[attr-defined]

REGION_RE = r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$"
NAME_RE = r"^[!-.0-~]([ -.0-~]*[!-.0-~])?$"
POLICY_NAME_RE = r"^[\w+=,.@-]{1,128}$"
SLUG_RE = r"^[a-z0-9][a-z0-9-]*$"
TARGET_RE = r"^(root|ou:.+|account:.+)$"

Region = Annotated[str, StringConstraints(pattern=REGION_RE)]
Name = Annotated[str, StringConstraints(pattern=NAME_RE, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE)]
PolicyName = Annotated[str, StringConstraints(pattern=POLICY_NAME_RE)]
Tags = dict[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class OrganizationSpec(_Strict):
    """The organization: name, regions, root e-mail pattern and feature set."""

    name: Annotated[str, Field(description="A short name for the organization.")]
    home_region: Annotated[
        Region, Field(description="The Region orgstack's own resources live in, e.g. eu-central-1.")
    ]
    allowed_regions: Annotated[
        list[Region],
        Field(
            min_length=1,
            description="Regions workloads may use; the home Region is always included.",
        ),
    ] = []
    email_pattern: Annotated[
        str | None,
        Field(
            description=(
                "Root e-mail of accounts that set none, with {account} for the account name, "
                "e.g. aws+{account}@example.com (plus addressing keeps one mailbox)."
            )
        ),
    ] = None
    feature_set: Annotated[
        Literal["ALL"],
        Field(description="Organizations feature set; orgstack needs ALL (SCPs, tag policies)."),
    ] = "ALL"
    access_role: Annotated[
        str,
        Field(
            pattern=r"^[\w+=,.@-]{1,64}$",
            description="The role orgstack assumes in member accounts (created with each account).",
        ),
    ] = "OrganizationAccountAccessRole"
    account_quota: Annotated[
        int,
        Field(
            ge=1,
            description="The account quota (10 by default; raised through Service Quotas).",
        ),
    ] = 10
    full_aws_access: Annotated[
        bool,
        Field(
            description=(
                "Keep the AWS-managed FullAWSAccess SCP on the root, every OU and account "
                "(deny-list guardrails). false: your own allow SCPs must grant access."
            )
        ),
    ] = True

    @field_validator("email_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is None:
            return value
        fields = set(re.findall(r"{([^{}]*)}", value))
        if fields != {"account"}:
            raise ValueError("must contain {account} and no other {placeholder}")
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.replace("{account}", "x")):
            raise ValueError("must be an e-mail address with {account} in it")
        return value


class OrganizationalUnitSpec(_Strict):
    """An OU; its name is its key, its children nest below it."""

    id: Annotated[
        str | None,
        Field(
            pattern=r"^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$",
            description="The OU's id in AWS, once it exists (written by import); ties a rename.",
        ),
    ] = None
    tags: Annotated[Tags, Field(description="Tags on the OU.")] = {}
    children: Annotated[
        dict[Name, OrganizationalUnitSpec],
        Field(description="Child OUs, by name."),
    ] = {}


class AccountSpec(_Strict):
    """An account; its name is its key."""

    purpose: Annotated[Purpose, Field(description="What the account is for.")]
    id: Annotated[
        str | None,
        Field(
            pattern=r"^\d{12}$", description="The account id, once it exists (written by import)."
        ),
    ] = None
    ou: Annotated[
        str,
        Field(description="The OU path the account lives in (e.g. Workloads/Prod), or root."),
    ]
    email: Annotated[
        str | None,
        Field(
            description=(
                "Root e-mail; derived from organization.email_pattern when omitted "
                "(the management account keeps the one it has)."
            )
        ),
    ] = None
    stage: Annotated[
        str | None,
        Field(
            pattern=r"^[a-z][a-z0-9-]*$",
            description=f"Stage of a stage account: {', '.join(KNOWN_STAGES)}, or another word.",
        ),
    ] = None
    workload: Annotated[
        Slug | None, Field(description="The workload whose stage this account holds.")
    ] = None
    team: Annotated[str | None, Field(description="The owning team.")] = None
    business_unit: Annotated[str | None, Field(description="The owning business unit.")] = None
    owner: Annotated[str | None, Field(description="A person or list to contact.")] = None
    iam_alias: Annotated[
        str | None,
        Field(
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            min_length=3,
            max_length=63,
            description="IAM account alias (sign-in URL); globally unique in AWS.",
        ),
    ] = None
    tags: Annotated[Tags, Field(description="Extra tags on the account.")] = {}


class PolicySpec(_Strict):
    """An organization policy from a JSON file or inline, with where it is attached."""

    type: Annotated[
        Literal["service_control", "tag"],
        Field(description="service_control (SCP) or tag policy."),
    ]
    id: Annotated[
        str | None,
        Field(
            pattern=r"^p-[0-9a-zA-Z_]{8,128}$",
            description="The policy id in AWS, once it exists (written by import).",
        ),
    ] = None
    file: Annotated[
        str | None, Field(description="Path of the policy JSON, relative to the spec file.")
    ] = None
    content: Annotated[
        dict[str, Any] | None, Field(description="The policy document inline, instead of file.")
    ] = None
    description: Annotated[str, Field(max_length=512, description="Why the policy exists.")] = ""
    targets: Annotated[
        list[Annotated[str, StringConstraints(pattern=TARGET_RE)]],
        Field(description="Where it is attached: root, ou:<path> or account:<name>."),
    ] = []


class IgnoreSpec(_Strict):
    """A rule finding accepted on purpose, for the objects a target pattern matches."""

    rule: Annotated[
        str | None,
        Field(
            pattern=r"^LZ\d{3}$",
            description=(
                "Rule id, e.g. LZ114: silence that rule there. Without a rule, orgstack leaves "
                "the matching live objects alone (not reported, never changed)."
            ),
        ),
    ] = None
    target: Annotated[
        str,
        Field(
            min_length=1,
            description="Address glob: account:legacy-*, ou:Workloads/*, scp:my-policy or *.",
        ),
    ]
    reason: Annotated[str, Field(min_length=3, description="Why the finding is accepted.")]


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


class AccountSelectorSpec(_Strict):
    """Accounts chosen by stage, purpose, OU (and below), tag or name; every key given must
    match (a list means any of)."""

    stage: Annotated[StrList | None, Field(description="Stage(s), e.g. [dev, sandbox].")] = None
    purpose: Annotated[
        Purpose | list[Purpose] | None, Field(description="Purpose(s), e.g. security.")
    ] = None
    ou: Annotated[StrList | None, Field(description="OU path(s); accounts below count too.")] = None
    tag: Annotated[Tags | None, Field(description="Tags the account must carry.")] = None
    account: Annotated[StrList | None, Field(description="Account name(s).")] = None


class GrantSpec(_Strict):
    """One row of the access matrix: a group gets a level in the selected accounts."""

    group: Annotated[str, Field(description="The group (a key of access.groups).")]
    level: Annotated[
        str,
        Field(
            description=(
                "admin, poweruser, readonly, billing, security-audit, or a key of access.levels."
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


class Spec(_Strict):
    """orgstack.yaml: an AWS Organization declared in one file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        title="orgstack spec",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Annotated[Literal[1], Field(description="Spec format version.")] = SPEC_VERSION
    organization: OrganizationSpec
    organizational_units: Annotated[
        dict[Name, OrganizationalUnitSpec], Field(description="Top-level OUs, by name.")
    ] = {}
    accounts: Annotated[dict[Name, AccountSpec], Field(description="Accounts, by name.")] = {}
    policies: Annotated[
        dict[PolicyName, PolicySpec], Field(description="Organization policies, by name.")
    ] = {}
    ignore: Annotated[
        list[IgnoreSpec],
        Field(description="Findings accepted and live objects left alone on purpose, with why."),
    ] = []
    access: Annotated[
        AccessSpec | None, Field(description="Cross-account access: users, groups, the matrix.")
    ] = None
    unmanaged: Annotated[
        Literal["report", "ignore"],
        Field(
            description="Live OUs, accounts and policies not in the spec: report or ignore them."
        ),
    ] = "report"


def json_schema() -> str:
    """The JSON Schema of the spec, as committed in ``schema/orgstack.schema.json``."""
    return json.dumps(Spec.model_json_schema(), indent=2, sort_keys=True) + "\n"
