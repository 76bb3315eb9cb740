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
#: An account name: printable ASCII (AWS's ``[\u0020-\u007E]+``); the length is rule LZ012's.
NAME_RE = r"^[ -~]+$"
#: An OU name: any character but a control character (AWS allows any, up to 128); ``/`` in a
#: name is escaped in OU paths (``model.paths``).
OU_NAME_RE = r"^[^\x00-\x1f\x7f]{1,128}$"
#: A policy name: any character but a control character, up to 128 (AWS allows any).
POLICY_NAME_RE = r"^[^\x00-\x1f\x7f]{1,128}$"
SLUG_RE = r"^[a-z0-9][a-z0-9-]*$"
TARGET_RE = r"^(root|ou:.+|account:.+)$"

Region = Annotated[str, StringConstraints(pattern=REGION_RE)]
Name = Annotated[str, StringConstraints(pattern=NAME_RE, min_length=1)]
OuName = Annotated[str, StringConstraints(pattern=OU_NAME_RE)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE)]
PolicyName = Annotated[str, StringConstraints(pattern=POLICY_NAME_RE)]
Tags = dict[str, str]


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced; models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
