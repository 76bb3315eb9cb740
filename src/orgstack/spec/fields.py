"""Building blocks of the spec's pydantic models, shared by the core schema and the kinds."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from orgstack.model import PURPOSES

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


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced; models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
