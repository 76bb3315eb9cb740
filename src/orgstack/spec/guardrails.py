"""The guardrail library shipped with orgstack: versioned policy documents with a documented
purpose, one YAML file each in ``orgstack/baselines/guardrails/``.

A spec policy refers to them by name (``guardrails: [deny-leave-organization]``); several
guardrails of one type make one policy (their statements joined), which keeps the number of
SCPs per target under AWS's limit of 5. A guardrail's ``{placeholders}`` are filled from the
policy's ``parameters``, else from the spec (``from:``), else from the guardrail's default.
A newer orgstack with a changed guardrail shows the change in ``plan`` as a policy update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from orgstack.errors import Problem
from orgstack.model import OrgModel

if TYPE_CHECKING:
    from orgstack.spec.schema import PolicySpec
    from orgstack.spec.yamlread import Located

#: ``{name}`` inside a string of a guardrail's document.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
#: Where a parameter's value may come from in the spec.
SOURCES = (
    "organization.access_role",
    "organization.allowed_regions",
    "logging.bucket",
    "logging.config_bucket",
    "logging.break_glass_role",
    "break_glass.role",
)


@dataclass(frozen=True)
class Parameter:
    """A value a guardrail's document needs."""

    name: str
    description: str
    source: str | None = None
    default: Any = None


@dataclass(frozen=True)
class Guardrail:
    """One guardrail of the library."""

    name: str
    version: int
    type: str
    purpose: str
    why: str
    source: str
    document: dict[str, Any]
    parameters: dict[str, Parameter] = field(default_factory=dict)


@cache
def library() -> dict[str, Guardrail]:
    """Every guardrail of the library, by name."""
    from ruamel.yaml import YAML

    found: dict[str, Guardrail] = {}
    folder = resources.files("orgstack.baselines").joinpath("guardrails")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = YAML(typ="safe", pure=True).load(entry.read_text(encoding="utf-8"))
        parameters = {
            name: Parameter(name, spec["description"], spec.get("from"), spec.get("default"))
            for name, spec in (data.get("parameters") or {}).items()
        }
        guardrail = Guardrail(
            data["name"],
            int(data["version"]),
            data["type"],
            data["purpose"],
            " ".join(data["why"].split()),
            data["source"],
            data["document"],
            parameters,
        )
        assert entry.name == f"{guardrail.name}.yaml", entry.name
        assert all(p.source in (None, *SOURCES) for p in parameters.values()), entry.name
        found[guardrail.name] = guardrail
    return found


def spec_value(source: str, model: OrgModel) -> Any:
    """The value of ``source`` (one of ``SOURCES``) in the spec's model."""
    if source == "organization.access_role":
        return model.organization.access_role
    if source == "organization.allowed_regions":
        return list(model.organization.allowed_regions)
    if source == "logging.config_bucket":
        from orgstack.model.logs import config_bucket_default

        logging = model.sections.get("logging") or {}
        named = logging.get("config_bucket")
        bucket = logging.get("bucket")
        if not named and isinstance(bucket, str):
            named = config_bucket_default(bucket.replace("{account_id}", "*"))
        return named.replace("{account_id}", "*") if isinstance(named, str) else None
    if source == "break_glass.role":
        # The break-glass section names it; a spec without one has the log archive's name.
        for section, key in (("break_glass", "role"), ("logging", "break_glass_role")):
            named = (model.sections.get(section) or {}).get(key)
            if isinstance(named, str):
                return named
        return None
    if source.startswith("logging."):
        logging = model.sections.get("logging") or {}
        value = logging.get(source.split(".", 1)[1])
        # The default bucket name holds the log archive's id, unknown offline: any id.
        return value.replace("{account_id}", "*") if isinstance(value, str) else None
    raise ValueError(f"unknown parameter source {source}")


def parameters_of(names: list[str]) -> dict[str, Parameter]:
    """The parameters the named guardrails need, by name."""
    found: dict[str, Parameter] = {}
    for name in names:
        found |= library()[name].parameters
    return found


def render(names: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """One policy document of the named guardrails (statements joined, in order), with the
    placeholders filled from ``values``."""
    chosen = [library()[n] for n in names]
    if chosen[0].type in ("service_control", "resource_control"):
        statements: list[Any] = []
        for guardrail in chosen:
            statements += fill(guardrail.document, values)["Statement"]
        return {"Version": chosen[0].document["Version"], "Statement": statements}
    merged: dict[str, Any] = {}
    for guardrail in chosen:
        document = fill(guardrail.document, values)
        for key, value in document.items():
            both = isinstance(value, dict) and isinstance(merged.get(key), dict)
            merged[key] = {**merged[key], **value} if both else value
    return merged


def fill(value: Any, values: dict[str, Any]) -> Any:
    """Replace ``"{placeholder}"`` strings by the given values (a whole string by any value,
    e.g. a list of Regions; a placeholder inside a string by text)."""
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
        return values.get(value[1:-1], value)
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), value)
    return value


def guardrail_document(
    name: str, item: PolicySpec, core: OrgModel, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """The document of a spec policy made of guardrails, or None with its problems."""
    from orgstack.spec.messages import did_you_mean

    path = ("policies", name)
    names = list(item.guardrails or [])
    known = library()
    before = len(problems)
    for index, guardrail in enumerate(names):
        pos = located.value_pos((*path, "guardrails", index))
        if guardrail not in known:
            problems.append(
                pos.problem(
                    f"policies.{name}.guardrails: no guardrail '{guardrail}'"
                    f"{did_you_mean(guardrail, list(known))}; `orgstack guardrails` lists them"
                )
            )
        elif known[guardrail].type != item.type:
            problems.append(
                pos.problem(
                    f"policies.{name}.guardrails: {guardrail} is a {known[guardrail].type} "
                    f"policy, and this policy's type is {item.type}"
                )
            )
        elif names.index(guardrail) != index:
            problems.append(pos.problem(f"policies.{name}.guardrails: {guardrail} is listed twice"))
    if len(problems) > before:
        return None
    needed = parameters_of(names)
    for key in item.parameters:
        if key not in needed:
            problems.append(
                located.key_pos((*path, "parameters", key)).problem(
                    f"policies.{name}.parameters: no parameter '{key}' in "
                    f"{', '.join(names)}{did_you_mean(key, list(needed))}; "
                    f"allowed: {', '.join(needed) or '(none)'}"
                )
            )
    values: dict[str, Any] = {}
    for key, parameter in needed.items():
        value = item.parameters.get(key)
        if value is None and parameter.source is not None:
            value = spec_value(parameter.source, core)
        values[key] = parameter.default if value is None else value
    if len(problems) > before:
        return None
    return render(names, values)
