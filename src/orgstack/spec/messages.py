"""Turn pydantic validation errors into ``file:line:column`` problems a user can act on."""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from orgstack.errors import Problem
from orgstack.spec import schema
from orgstack.spec.yamlread import Located, Path

PATTERN_WORDS = {
    schema.REGION_RE: "a Region name such as eu-central-1",
    schema.NAME_RE: "an account name of printable ASCII characters",
    # OU and policy names: the same pattern.
    schema.POLICY_NAME_RE: "a name of 1 to 128 characters, without control characters",
    schema.SLUG_RE: "lower-case letters, digits and hyphens, starting with a letter or digit",
    schema.TARGET_RE: "root, ou:<OU path> or account:<account name>",
    r"^[a-z][a-z0-9-]*$": "a lower-case word such as dev, qa, test, int, staging or prod",
    r"^LZ\d{3}$": "a rule id such as LZ114 (see `orgstack rules`)",
    r"^[\w+=,.@-]{1,64}$": "an IAM role name (letters, digits and +=,.@_-, at most 64)",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": (
        "lower-case letters, digits and single hyphens, not starting or ending with a hyphen"
    ),
}

TYPE_WORDS = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing (null)",
}


def dotted(path: Path) -> str:
    """``accounts.web-dev.tags`` or ``policies.deny.targets[2]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "the spec"


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(value: Any) -> str:
    kind = next((w for t, w in TYPE_WORDS.items() if type(value) is t), type(value).__name__)
    if isinstance(value, dict | list):
        return kind
    return f"{kind} ({value!r})"


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            # A model among the options is what a mapping must fit (``all`` | a selector).
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = (models or options)[0]
        else:
            return annotation


def model_at(path: Path) -> type[BaseModel] | None:
    """The spec model class expected at ``path``, if one is."""
    current: Any = schema.spec_model()
    expect_key = False
    for part in path:
        current = _unwrap(current)
        if expect_key:
            expect_key = False
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
            current = _unwrap(current)
            if get_origin(current) is dict:
                current = get_args(current)[1]
                expect_key = True
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def problems_from(error: ValidationError, located: Located) -> list[Problem]:
    details = [_without_branches(d, located.data) for d in error.errors(include_url=False)]
    # A union (``all`` or a selector) reports every branch; a mapping fits the model branch,
    # so the other branches' complaints ("is not 'all'") are noise.
    kept = [d for d, branch in details if not (branch and branch.startswith("literal["))]
    kept_locs = {tuple(d["loc"]) for d in kept}
    kept += [
        d
        for d, branch in details
        if branch and branch.startswith("literal[") and not any(
            loc[: len(d["loc"])] == tuple(d["loc"]) for loc in kept_locs
        )
    ]  # fmt: skip
    return [_problem(detail, located) for detail in kept]


def _is_branch(part: Any) -> bool:
    """A union branch pydantic names in a location (``AccountSelectorSpec``,
    ``literal['all']``), not a key of the data (``[key]`` marks a mapping's key)."""
    return isinstance(part, str) and part != "[key]" and (part[:1].isupper() or "[" in part)


def _step(data: Any, part: Any) -> tuple[bool, Any]:
    """(whether ``part`` is in ``data``, the value there)."""
    if isinstance(data, dict) and isinstance(part, str) and part in data:
        return True, data[part]
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return True, data[part]
    return False, None


def _without_branches(detail: ErrorDetails, data: Any) -> tuple[ErrorDetails, str | None]:
    """The error with pydantic's union-branch names (``AccountSelectorSpec``,
    ``literal['all']``) taken out of its location, and the last branch name it had."""
    loc: list[Any] = []
    branch: str | None = None
    current = data
    for part in detail["loc"]:
        found, value = _step(current, part)
        if not found and _is_branch(part) and loc:
            branch = str(part)
            continue
        current = value
        loc.append(part)
    cleaned: ErrorDetails = {**detail, "loc": tuple(loc)}
    return cleaned, branch


def _problem(detail: ErrorDetails, located: Located) -> Problem:
    loc: Path = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        path = loc[:-1]
        pattern = str(ctx.get("pattern", ""))
        words = PATTERN_WORDS.get(pattern, f"a name matching {pattern}")
        return located.key_pos(path).problem(f"{dotted(path[:-1])}: name {value!r} is not {words}")
    if kind == "extra_forbidden":
        parent = model_at(loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = did_you_mean(str(loc[-1]), allowed)
        return located.key_pos(loc).problem(
            f"{dotted(loc[:-1])}: unknown key '{loc[-1]}'{hint}; allowed: {', '.join(allowed)}"
        )
    if kind == "missing":
        where = located.key_pos(loc[:-1]) if loc[:-1] else located.value_pos(())
        return where.problem(f"{dotted(loc[:-1])}: missing required key '{loc[-1]}'")
    pos = located.value_pos(loc)
    if kind == "literal_error":
        choices = [c.strip(" '") for c in str(ctx["expected"]).replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices)
        return pos.problem(
            f"{dotted(loc)}: {value!r} is not allowed{hint}; allowed: {', '.join(choices)}"
        )
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        words = PATTERN_WORDS.get(pattern, f"a string matching {pattern}")
        return pos.problem(f"{dotted(loc)}: {value!r} is not {words}")
    expected = {
        "string_type": "a string",
        "int_type": "an integer",
        "bool_type": "true or false",
        "dict_type": "a mapping (key: value)",
        "list_type": "a list",
        "model_type": "a mapping (key: value)",
    }.get(kind)
    if expected:
        quote = (
            "; put it in quotes"
            if kind == "string_type" and not isinstance(value, dict | list)
            else ""
        )
        return pos.problem(f"{dotted(loc)}: expected {expected}, got {_describe(value)}{quote}")
    message = detail["msg"].removeprefix("Value error, ")
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        message = message.replace("String", "the value").replace("List", "the list")
    return pos.problem(f"{dotted(loc)}: {message}")
