"""The plan file: versioned JSON, written by ``plan -o`` and read back by ``apply``.

Format version 1 (documented in docs/plan-format.md, schema in schema/plan.schema.json).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orgstack.errors import OrgstackError
from orgstack.plan.model import Action, Change, Plan, Preflight, Unmanaged

PLAN_FORMAT_VERSION = 1


def plan_to_dict(
    plan: Plan, spec: str, plan_id: str | None = None, created_at: str | None = None
) -> dict[str, Any]:
    return {
        "format_version": PLAN_FORMAT_VERSION,
        "plan_id": plan_id or uuid.uuid4().hex,
        "created_at": created_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "spec": spec,
        "organization_id": plan.organization_id,
        "ids": plan.ids,
        "summary": plan.counts(),
        "changes": [
            {
                "index": i,
                "address": c.address,
                "action": c.action.value,
                "before": c.before,
                "after": c.after,
                "reason": c.reason,
                "fingerprints": c.fingerprints,
                "observed": c.observed,
            }
            for i, c in enumerate(plan.changes)
        ],
        "unmanaged": [{"address": u.address, "id": u.id, "note": u.note} for u in plan.unmanaged],
        "preflight": [
            {"level": p.level, "message": p.message, "hint": p.hint} for p in plan.preflight
        ],
    }


def plan_from_dict(data: dict[str, Any]) -> Plan:
    version = data.get("format_version")
    if version != PLAN_FORMAT_VERSION:
        raise OrgstackError(
            f"plan format version {version!r} is not supported "
            f"(this orgstack reads {PLAN_FORMAT_VERSION})",
            "Run `orgstack plan -o plan.json` again with this version of orgstack.",
        )
    return Plan(
        changes=tuple(
            Change(
                c["address"],
                Action(c["action"]),
                c["before"],
                c["after"],
                c["reason"],
                c["fingerprints"],
                c["observed"],
            )
            for c in data["changes"]
        ),
        unmanaged=tuple(Unmanaged(u["address"], u["id"], u["note"]) for u in data["unmanaged"]),
        preflight=tuple(Preflight(p["level"], p["message"], p["hint"]) for p in data["preflight"]),
        organization_id=data["organization_id"],
        ids=data["ids"],
    )


def write_plan(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_plan(path: Path) -> tuple[Plan, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OrgstackError(
            f"cannot read the plan {path}: {exc}", "Pass the file `plan -o` wrote."
        ) from None
    return plan_from_dict(data), data
