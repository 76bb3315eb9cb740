"""Pydantic models of ``orgstack.yaml``; every model forbids unknown keys. Kinds add their
sections (``kinds/<name>/schema.py``) to the ``Spec`` model that ``spec_model()`` builds."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, create_model, field_validator

from orgstack.model import KNOWN_STAGES, MANAGED_POLICY_TYPES
from orgstack.spec.fields import (
    NAME_RE,
    OU_NAME_RE,
    POLICY_NAME_RE,
    REGION_RE,
    SLUG_RE,
    SPEC_VERSION,
    TARGET_RE,
    Name,
    OuName,
    PolicyName,
    Purpose,
    Region,
    Slug,
    Tags,
)
from orgstack.spec.fields import Strict as _Strict
from orgstack.spec.isolation import IsolationSpec

__all__ = [
    "NAME_RE",
    "OU_NAME_RE",
    "POLICY_NAME_RE",
    "REGION_RE",
    "SLUG_RE",
    "TARGET_RE",
    "Purpose",
]


class AttributeTagsSpec(_Strict):
    """The tag keys that record an account's purpose, stage, workload and team in AWS (null:
    not recorded), so cost reports can group by them and `orgstack import` recovers them."""

    purpose: Annotated[str | None, Field(min_length=1, max_length=128)] = "purpose"
    stage: Annotated[str | None, Field(min_length=1, max_length=128)] = "stage"
    workload: Annotated[str | None, Field(min_length=1, max_length=128)] = "workload"
    team: Annotated[str | None, Field(min_length=1, max_length=128)] = "team"


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
    attribute_tags: Annotated[
        AttributeTagsSpec,
        Field(
            description=(
                "Tag keys apply sets on each account from its purpose, stage, workload and "
                "team (default: the same words; null leaves one out)."
            )
        ),
    ] = AttributeTagsSpec()
    root_tags: Annotated[
        Tags | None,
        Field(
            description=(
                "Tags on the organization's root. When given, orgstack keeps exactly these "
                "(others are removed); left out, the root's tags are not managed."
            )
        ),
    ] = None

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
        dict[OuName, OrganizationalUnitSpec],
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
    owner: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=256,
            description="A person or list to contact; set as the account's tag owner.",
        ),
    ] = None
    iam_alias: Annotated[
        str | None,
        Field(
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            min_length=3,
            max_length=63,
            description=(
                "IAM account alias (sign-in URL), set in the account; globally unique in AWS."
            ),
        ),
    ] = None
    tags: Annotated[Tags, Field(description="Extra tags on the account.")] = {}


DeclaredPolicyType = Literal[
    "service_control",
    "tag",
    "resource_control",
    "backup",
    "aiservices_opt_out",
    "declarative",
    "chatbot",
    "securityhub",
    "securityhub_cspm",
    "inspector",
    "upgrade_rollout",
    "bedrock",
    "s3",
    "network_security_director",
    "guardduty",
]
assert tuple(DeclaredPolicyType.__args__) == tuple(  # type: ignore[attr-defined]
    t.value for t in MANAGED_POLICY_TYPES
)


class PolicySpec(_Strict):
    """An organization policy from a JSON file or inline, with where it is attached."""

    type: Annotated[
        DeclaredPolicyType,
        Field(
            description=(
                "service_control (SCP), resource_control (RCP), tag, backup, "
                "aiservices_opt_out, declarative (EC2 declarative policy), chatbot, "
                "securityhub, securityhub_cspm, inspector, upgrade_rollout, bedrock, s3, "
                "network_security_director or guardduty (every type AWS has; the last eight "
                "are kept as written: JSON, size and attachments are checked)."
            )
        ),
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
    guardrails: Annotated[
        list[Annotated[str, StringConstraints(min_length=1)]] | None,
        Field(
            min_length=1,
            description=(
                "Guardrails of orgstack's library, instead of file or content: one policy of "
                "their statements (`orgstack guardrails` lists them)."
            ),
        ),
    ] = None
    parameters: Annotated[
        dict[str, str | list[str]],
        Field(
            description=(
                "Values for the guardrails' parameters (by default from the spec or the "
                "guardrail), e.g. break_glass_role: EmergencyAdmin."
            )
        ),
    ] = {}
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


class _SpecBase(_Strict):
    """orgstack.yaml: an AWS Organization declared in one file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        title="orgstack spec",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )


class CoreSpec(_SpecBase):
    """orgstack.yaml: an AWS Organization declared in one file."""

    version: Annotated[Literal[1], Field(description="Spec format version.")] = SPEC_VERSION
    organization: OrganizationSpec
    organizational_units: Annotated[
        dict[OuName, OrganizationalUnitSpec], Field(description="Top-level OUs, by name.")
    ] = {}
    accounts: Annotated[dict[Name, AccountSpec], Field(description="Accounts, by name.")] = {}
    policies: Annotated[
        dict[PolicyName, PolicySpec], Field(description="Organization policies, by name.")
    ] = {}
    ignore: Annotated[
        list[IgnoreSpec],
        Field(description="Findings accepted and live objects left alone on purpose, with why."),
    ] = []
    isolation: Annotated[
        IsolationSpec | None,
        Field(description="The paths between stages that are meant to be (orgstack isolation)."),
    ] = None
    unmanaged: Annotated[
        Literal["report", "ignore"],
        Field(
            description="Live OUs, accounts and policies not in the spec: report or ignore them."
        ),
    ] = "report"


def spec_model() -> type[CoreSpec]:
    """The whole spec: the core sections, then each kind's (before ``unmanaged``)."""
    from orgstack.registry import all_kinds

    return _spec_model(all_kinds())


@cache
def _spec_model(kinds: tuple[Any, ...]) -> type[CoreSpec]:
    fields: dict[str, Any] = {}
    for name, info in CoreSpec.model_fields.items():
        if name == "unmanaged":
            for kind in kinds:
                if kind.section:
                    description = kind.schema_description()
                    fields[kind.section] = (
                        kind.schema_model() | None,
                        Field(default=None, description=description),
                    )
        fields[name] = (info.annotation, info)
    base: Any = _SpecBase
    found: type[CoreSpec] = create_model("Spec", __base__=base, __doc__=CoreSpec.__doc__, **fields)
    return found


def json_schema() -> str:
    """The JSON Schema of the spec, as committed in ``schema/orgstack.schema.json``."""
    return json.dumps(spec_model().model_json_schema(), indent=2, sort_keys=True) + "\n"
