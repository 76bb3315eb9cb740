"""The ``isolation:`` section: the paths between domains the organization means to have (prod
reads the shared-services artifact bucket, the build account deploys into every stage, every
stage reaches shared services' network); every other path ``orgstack isolation`` finds is a
finding. Compiled into ``OrgModel.sections["isolation"]`` as plain data, each side checked
against the spec's stages, purposes and accounts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from orgstack.errors import Problem
from orgstack.model.core import PURPOSES
from orgstack.model.isolation import KINDS, OUTSIDE
from orgstack.spec.fields import Strict
from orgstack.spec.yamlread import Located

SECTION = "isolation"
Side = Annotated[
    str,
    Field(
        min_length=1,
        description=f"A stage, a purpose, account:NAME, {OUTSIDE} (from only) or *.",
    ),
]


class AllowSpec(Strict):
    """A path the organization means to have."""

    from_: Annotated[Side, Field(alias="from", description="Where the path starts.")]
    to: Annotated[Side, Field(description="Where it arrives.")]
    kind: Annotated[
        Literal["iam-trust", "resource-policy", "ram-share", "network", "*"],
        Field(description="What opens it: " + ", ".join(KINDS) + ", or * for any."),
    ] = "*"
    resource: Annotated[
        str, Field(min_length=1, description="The resources' ARN glob (network: its name).")
    ] = "*"
    reason: Annotated[str, Field(min_length=3, description="Why the path is meant to be.")]


class IsolationSpec(Strict):
    """What may cross between stages; everything else `orgstack isolation` reports."""

    allow: Annotated[
        list[AllowSpec], Field(description="The paths between domains that are meant to be.")
    ] = []


def compile_isolation(
    section: IsolationSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any]:
    """The allowances as plain data; a side naming no stage, purpose or account is a problem
    at its position."""
    from orgstack.spec.messages import did_you_mean  # it reads the schema this module is in

    stages = sorted({a.stage for a in model.accounts if a.stage})
    accounts = sorted(a.name for a in model.accounts)
    domains = [*stages, *PURPOSES]
    allow = []
    for index, item in enumerate(section.allow):
        for side, value in (("from", item.from_), ("to", item.to)):
            where = (SECTION, "allow", index, side)
            name = value.removeprefix("account:")
            if value == "*" or (value == OUTSIDE and side == "from"):
                continue
            if value.startswith("account:") and name not in accounts:
                problems.append(
                    located.value_pos(where).problem(
                        f"{SECTION}.allow[{index}].{side}: no account '{name}'"
                        f"{did_you_mean(name, accounts)}"
                    )
                )
            elif not value.startswith("account:") and value not in domains:
                problems.append(
                    located.value_pos(where).problem(
                        f"{SECTION}.allow[{index}].{side}: '{value}' is no stage "
                        f"({', '.join(stages) or 'none'}), purpose or account:NAME"
                        f"{did_you_mean(value, domains)}"
                    )
                )
        allow.append(
            {"from": item.from_, "to": item.to, "kind": item.kind, "resource": item.resource,
             "reason": item.reason}
        )  # fmt: skip
    return {"allow": allow}
