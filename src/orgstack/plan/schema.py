"""The JSON Schema of the plan file (``schema/plan.schema.json``), generated: the address
pattern comes from the core's kinds of object and the kind registry, the actions from
``Action``."""

from __future__ import annotations

import json
import re
from typing import Any

from orgstack.model import PolicyType
from orgstack.plan.model import Action
from orgstack.registry import all_kinds

#: The organization layer's address prefixes (``ou:Workloads``, ``account:web-prod``, …).
CORE_PREFIXES = ("root", "policy-type", "ou", "account", *(p.address_prefix for p in PolicyType))


def address_pattern() -> str:
    """``organization``, ``root``, or ``<prefix>:…`` for a core object or any kind's."""
    prefixes = [*CORE_PREFIXES, *(k.info.prefix for k in all_kinds())]
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", p) for p in prefixes), prefixes
    return "^(organization|root|(" + "|".join(prefixes) + "):.+)$"


def plan_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://orgstack.dev/schema/plan-1.json",
        "title": "orgstack plan file, format version 1",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "format_version",
            "plan_id",
            "created_at",
            "expires_at",
            "spec",
            "organization_id",
            "ids",
            "summary",
            "changes",
            "unmanaged",
            "preflight",
            "digest",
        ],
        "properties": {
            "format_version": {"const": 1},
            "digest": {
                "type": "string",
                "pattern": "^sha256:[0-9a-f]{64}$",
                "description": "SHA-256 of the file's content without this field (JSON, keys "
                "sorted, no spaces): apply refuses a file changed after plan wrote it.",
            },
            "plan_id": {
                "type": "string",
                "pattern": "^[0-9a-f]{32}$",
                "description": "Names the apply journal.",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "expires_at": {
                "type": "string",
                "format": "date-time",
                "description": "After this, apply refuses the plan (`plan --valid-for HOURS`, "
                "default 4).",
            },
            "management_account": {
                "type": "string",
                "pattern": "^[0-9]{12}$",
                "description": "The account whose credentials made the plan: apply refuses "
                "credentials of another account.",
            },
            "spec": {
                "type": "string",
                "description": "The spec file or directory the plan was made from.",
            },
            "spec_digest": {
                "type": "string",
                "pattern": "^sha256:[0-9a-f]{64}$",
                "description": "What the spec declared when the plan was made: resuming an "
                "apply is refused once the spec declares something else.",
            },
            "scope": {
                "type": "object",
                "description": "A partial plan (`plan --target`): what its targets cover, in "
                "the spec's words. Apply refuses a change outside it.",
                "required": ["targets", "accounts", "ous", "subtrees", "ancestors", "policies"],
                "additionalProperties": False,
                "properties": {
                    key: {"type": "array", "items": {"type": "string"}}
                    for key in ("targets", "accounts", "ous", "subtrees", "ancestors", "policies")
                },
            },
            "organization_id": {
                "type": ["string", "null"],
                "description": "null: no organization existed yet.",
            },
            "ids": {
                "type": "object",
                "description": "Live ids of the objects the plan refers to, "
                "by the spec's address (and root). Apply acts "
                "on these; it never re-derives them.",
                "additionalProperties": {"type": "string"},
            },
            "summary": {
                "type": "object",
                "description": "Number of changes per action.",
                "additionalProperties": {"type": "integer", "minimum": 1},
                "propertyNames": {"$ref": "#/$defs/action"},
            },
            "changes": {
                "type": "array",
                "description": "In the order apply makes them.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "index",
                        "address",
                        "action",
                        "before",
                        "after",
                        "reason",
                        "fingerprints",
                        "observed",
                    ],
                    "properties": {
                        "index": {"type": "integer", "minimum": 0},
                        "address": {"type": "string", "pattern": address_pattern()},
                        "action": {"$ref": "#/$defs/action"},
                        "before": {
                            "type": ["object", "null"],
                            "description": "Live "
                            "values "
                            "replaced; "
                            "null "
                            "when "
                            "the "
                            "object "
                            "does "
                            "not "
                            "exist.",
                        },
                        "after": {
                            "type": ["object", "null"],
                            "description": "Values after the change; null when removed.",
                        },
                        "reason": {
                            "type": "string",
                            "description": "For people only; apply never reads it.",
                        },
                        "fingerprints": {
                            "type": "object",
                            "description": "Digest "
                            "of "
                            "each "
                            "live "
                            "value "
                            "the "
                            "change "
                            "depends "
                            "on, "
                            "by "
                            "live "
                            "id "
                            "(id:...) "
                            "or, "
                            "for "
                            "absent "
                            "objects, "
                            "by "
                            "address. "
                            "Apply "
                            "refuses "
                            "the "
                            "plan "
                            "when "
                            "one "
                            "differs.",
                            "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                        },
                        "observed": {
                            "type": "object",
                            "description": "The "
                            "live "
                            "values "
                            "each "
                            "fingerprint "
                            "was "
                            "computed "
                            "from "
                            "(null: "
                            "the "
                            "object "
                            "did "
                            "not "
                            "exist), "
                            "so "
                            "a "
                            "stale "
                            "plan "
                            "can "
                            "name "
                            "what "
                            "changed.",
                            "additionalProperties": {"type": ["object", "null"]},
                        },
                    },
                },
            },
            "unmanaged": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["address", "id", "note"],
                    "properties": {
                        "address": {"type": "string"},
                        "id": {"type": "string"},
                        "note": {"type": "string"},
                    },
                },
            },
            "preflight": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["level", "message", "hint"],
                    "properties": {
                        "level": {"enum": ["error", "warning", "pending"]},
                        "message": {"type": "string"},
                        "hint": {"type": "string"},
                    },
                },
            },
        },
        "$defs": {"action": {"enum": [a.value for a in Action]}},
    }
    return schema


def plan_json_schema() -> str:
    """The schema as committed in ``schema/plan.schema.json``."""
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
