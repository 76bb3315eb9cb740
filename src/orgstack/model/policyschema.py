"""The documented shape of management policies whose keys and values AWS checks: backup policies
("Backup policy syntax and examples") and AI services opt-out policies ("AI services opt-out
policy syntax and examples"), as data, and one walker that says what breaks them, each problem
with the JSON path of the part to fix. Pure; rule LZ020 uses it.

A node is one of: ``Value`` (an object that sets a value through an operator: ``@@assign``,
``@@append``, ``@@remove``, the value checked), ``Fields`` (an object of named keys),
``Names`` (an object whose keys are names a user chooses, or one of a known list, each
holding the same node), ``Free`` (AWS documents no shape orgstack checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from orgstack.model.regions import REGIONS
from orgstack.model.tagpolicy import CHILD, VALUE_OPERATORS, child_problems

Path = tuple[str | int, ...]
Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Value:
    """Sets a value with an operator; ``check`` says what is wrong with the value (None: fine)."""

    check: Check | None = None
    assign_only: bool = False


@dataclass(frozen=True)
class Fields:
    """An object of the named keys (others are errors)."""

    keys: dict[str, Any]


@dataclass(frozen=True)
class Names:
    """An object of user-chosen names (or, with ``allowed``, of those only), each ``node``."""

    node: Any
    allowed: frozenset[str] | None = None
    what: str = "name"


@dataclass(frozen=True)
class Free:
    """A part AWS documents without a shape orgstack checks (operators are still checked)."""

    notes: list[str] = field(default_factory=list)


def _close(word: str, choices: list[str]) -> str:
    from difflib import get_close_matches

    found = get_close_matches(word, choices, n=1)
    return f" (did you mean {found[0]!r}?)" if found else ""


def walk(node: Any, value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Every problem of ``value`` against ``node``, with the path of the part to fix."""
    if isinstance(node, Free):
        yield from _operators(value, path)
        return
    if not isinstance(value, dict):
        yield path, 'must be an object; values are set with operators, e.g. {"@@assign": …}'
        return
    if CHILD in value:
        yield from _child(value[CHILD], (*path, CHILD))
    if isinstance(node, Value):
        yield from _value(node, value, path)
        return
    stray = sorted(k for k in value if k.startswith("@@") and k != CHILD)
    for key in stray:
        yield (*path, key), f"{key} sets no value here: this is an object of keys, not a value"
    keys = [k for k in value if not k.startswith("@@")]
    if isinstance(node, Fields):
        for key in keys:
            if key not in node.keys:
                allowed = ", ".join(sorted(node.keys))
                yield (
                    (*path, key),
                    f"unknown key {key!r}{_close(key, list(node.keys))} (allowed: {allowed})",
                )
            else:
                yield from walk(node.keys[key], value[key], (*path, key))
        return
    for key in keys:
        if node.allowed is not None and key not in node.allowed:
            yield (
                (*path, key),
                f"{key!r} is not a {node.what} AWS has{_close(key, sorted(node.allowed))} "
                f"(allowed: {', '.join(sorted(node.allowed))})",
            )
            continue
        yield from walk(node.node, value[key], (*path, key))


def _child(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    yield from child_problems(path, "", value)


def _operators(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """The inheritance operators anywhere below a free part."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key == CHILD:
            yield from _child(item, (*path, key))
        elif key.startswith("@@") and key not in VALUE_OPERATORS:
            yield (*path, key), f"unknown operator {key!r} (allowed: @@assign, @@append, @@remove)"
        elif not key.startswith("@@"):
            yield from _operators(item, (*path, key))


def _value(node: Value, value: dict[str, Any], path: Path) -> Iterator[tuple[Path, str]]:
    operators = [k for k in value if k != CHILD]
    for key in operators:
        if key not in VALUE_OPERATORS:
            yield (
                (*path, key),
                (
                    f"unknown operator {key!r}{_close(key, sorted(VALUE_OPERATORS))} "
                    "(allowed: @@assign, @@append, @@remove)"
                ),
            )
        elif node.assign_only and key != "@@assign":
            yield (*path, key), f"{key} does not apply here; only @@assign sets this value"
        elif node.check is not None and (problem := node.check(value[key])) is not None:
            yield (*path, key), problem
    if not operators and CHILD not in value:
        yield path, "sets nothing (give @@assign, @@append or @@remove)"


# --- value checks -------------------------------------------------------------------------

CRON = re.compile(r"^cron\((?P<fields>[^()]*)\)$")
RATE = re.compile(r"^rate\((?P<n>\d+) (?P<unit>minute|minutes|hour|hours|day|days)\)$")
CRON_FIELD = re.compile(r"^[0-9A-Za-z*?,/#LW-]+$")
CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
CRON_NAMES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
#: An account in an ARN: its id, AWS's ``$account`` (each account the policy reaches), or
#: orgstack's ``{account:NAME}`` for an account the plan creates (placed before upload).
ACCOUNT = r"(\$account|\d{12}|\{account:[^{}]+\})"
ROLE_ARN = re.compile(rf"^arn:aws[a-z-]*:iam::{ACCOUNT}:role/[\w+=,.@/-]{{1,512}}$")
VAULT_ARN = re.compile(
    rf"^arn:aws[a-z-]*:backup:[a-z0-9-]+:{ACCOUNT}:backup-vault:[A-Za-z0-9_.-]{{2,50}}$"
)
VAULT_NAME = re.compile(r"^[A-Za-z0-9_.-]{2,50}$")


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def schedule(value: Any) -> str | None:
    """AWS Backup's schedule: cron(minutes hours day-of-month month day-of-week year), one of
    the two days a "?", or rate(n unit)."""
    if not isinstance(value, str):
        return "must be a string: cron(m h dom mon dow y) or rate(n unit)"
    if RATE.match(value):
        return None
    found = CRON.match(value)
    if found is None:
        return f"{value!r} is not cron(m h dom mon dow y) or rate(n minutes|hours|days)"
    fields = found["fields"].split()
    if len(fields) != 6:
        return (
            f"{value!r} has {len(fields)} fields; AWS Backup's cron has six: minutes, hours, "
            "day-of-month, month, day-of-week, year"
        )
    for name, text, (low, high) in zip(CRON_NAMES, fields, CRON_RANGES, strict=True):
        if not CRON_FIELD.match(text):
            return f"{value!r}: the {name} field {text!r} has characters cron does not take"
        wrong = [n for n in _numbers(text.split("/")[0]) if not low <= n <= high]
        if wrong and not (name in ("month", "day-of-week") and text.isalpha()):
            return f"{value!r}: the {name} field {text!r} is outside {low}-{high}"
    if "?" not in (fields[2], fields[4]):
        return f"{value!r}: one of day-of-month and day-of-week must be '?'"
    return None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _whole(unit: str, least: int, why: str) -> Check:
    """A whole number of ``unit`` (a number or a string of one), at least ``least``."""

    def check(value: Any) -> str | None:
        number = _integer(value)
        if number is None:
            return f"{value!r} is not a whole number of {unit}"
        return f"{number} {unit}: {why}" if number < least else None

    return check


days = _whole("days", 1, "a number of days is at least 1")
minutes = _whole("minutes", 60, "AWS Backup's windows are at least 60 minutes")


def regions(value: Any) -> str | None:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, str) for i in items):
        return 'must be a list of Region codes, e.g. ["eu-west-1"]'
    unknown = [i for i in items if i not in REGIONS]
    if unknown:
        hint = _close(unknown[0], sorted(REGIONS))
        return f"{unknown[0]!r} is not an AWS Region{hint}"
    return None


def role_arn(value: Any) -> str | None:
    if isinstance(value, str) and ROLE_ARN.match(value):
        return None
    return f"{value!r} is not a role ARN: arn:aws:iam::$account:role/<name>"


def vault_arn(value: Any) -> str | None:
    if isinstance(value, str) and VAULT_ARN.match(value):
        return None
    return (
        f"{value!r} is not a backup vault ARN: "
        "arn:aws:backup:<region>:<account id or $account>:backup-vault:<name>"
    )


def vault_name(value: Any) -> str | None:
    if isinstance(value, str) and VAULT_NAME.match(value):
        return None
    return f"{value!r} is not a backup vault name (2-50 letters, digits, '-', '_', '.')"


def boolean(value: Any) -> str | None:
    if isinstance(value, bool) or value in ("true", "false"):
        return None
    return f"{value!r} is not true or false"


def tag_key(value: Any) -> str | None:
    if isinstance(value, str) and 1 <= len(value) <= 128:
        return None
    if isinstance(value, str):
        return f"a tag key has 1 to 128 characters; this one has {len(value)}"
    return "must be a tag key (a string)"


def strings(value: Any) -> str | None:
    items = value if isinstance(value, list) else [value]
    if all(isinstance(i, str) for i in items):
        return None
    return "must be a string or a list of strings"


def text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


# --- the backup policy ----------------------------------------------------------------------

LIFECYCLE = Fields(
    {
        "delete_after_days": Value(days),
        "move_to_cold_storage_after_days": Value(days),
        "opt_in_to_archive_for_supported_resources": Value(boolean),
    }
)
TAG = Fields({"tag_key": Value(tag_key), "tag_value": Value(strings)})
RULE = Fields(
    {
        "schedule_expression": Value(schedule),
        "schedule_expression_timezone": Value(text),
        "start_backup_window_minutes": Value(minutes),
        "complete_backup_window_minutes": Value(minutes),
        "enable_continuous_backup": Value(boolean),
        "target_backup_vault_name": Value(vault_name),
        "target_logically_air_gapped_backup_vault_arn": Value(text),
        "recovery_point_tags": Names(TAG),
        "lifecycle": LIFECYCLE,
        "copy_actions": Names(
            Fields({"target_backup_vault_arn": Value(vault_arn), "lifecycle": LIFECYCLE}),
            what="copy action",
        ),
        "index_actions": Free(),
        "scan_actions": Free(),
    }
)
BACKUP = Fields(
    {
        "plans": Names(
            Fields(
                {
                    "regions": Value(regions),
                    "rules": Names(RULE),
                    "selections": Fields(
                        {
                            "tags": Names(
                                Fields(
                                    {
                                        "iam_role_arn": Value(role_arn),
                                        "tag_key": Value(tag_key),
                                        "tag_value": Value(strings),
                                    }
                                )
                            ),
                            "resources": Names(
                                Fields(
                                    {
                                        "iam_role_arn": Value(role_arn),
                                        "resource_types": Value(strings),
                                        "not_resource_types": Value(strings),
                                        "conditions": Free(),
                                    }
                                )
                            ),
                        }
                    ),
                    "advanced_backup_settings": Free(),
                    "backup_plan_tags": Names(TAG),
                }
            ),
            what="plan",
        )
    }
)

# --- the AI services opt-out policy ---------------------------------------------------------

#: The services an AI services opt-out policy names (AWS's list in the syntax page; "default"
#: is every service, those to come included).
AI_SERVICES = frozenset(
    {
        "default",
        "aidevops",
        "aiops",
        "awssupplychain",
        "chimesdkvoiceanalytics",
        "cloudwatch",
        "codeguruprofiler",
        "codewhisperer",
        "comprehend",
        "connectamd",
        "connectoptimization",
        "contactlens",
        "datazone",
        "frauddetector",
        "guardduty",
        "lex",
        "polly",
        "q",
        "quicksightq",
        "rekognition",
        "securitylake",
        "supplychain",
        "textract",
        "transcribe",
        "translate",
    }
)


def opt_out(value: Any) -> str | None:
    return None if value in ("optIn", "optOut") else f"{value!r} is not optIn or optOut"


AI_OPT_OUT = Fields(
    {
        "services": Names(
            Fields({"opt_out_policy": Value(opt_out, assign_only=True)}),
            allowed=AI_SERVICES,
            what="service",
        )
    }
)
