"""The plan file: versioned JSON, written by ``plan -o`` and read back by ``apply``.

Format version 1 (documented in docs/plan-format.md, schema in schema/plan.schema.json).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from orgstack.errors import OrgstackError
from orgstack.model import PolicyType, paths
from orgstack.plan.model import Action, Change, Plan, Preflight, Unmanaged

PLAN_FORMAT_VERSION = 1
#: How long a plan may wait for its apply, by default (``plan --valid-for``).
DEFAULT_VALID_HOURS = 4
#: What ``plan`` names a plan: it becomes a file name in the journal folder.
PLAN_ID = re.compile(r"^[0-9a-f]{32}$")


def content_digest(data: dict[str, Any]) -> str:
    """The digest of a plan file's content (everything but the digest itself)."""
    content = {k: v for k, v in data.items() if k != "digest"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def plan_to_dict(
    plan: Plan,
    spec: str,
    plan_id: str | None = None,
    created_at: str | None = None,
    valid_hours: float = DEFAULT_VALID_HOURS,
) -> dict[str, Any]:
    data = _content(plan, spec, plan_id, created_at, valid_hours)
    return {**data, "digest": content_digest(data)}


def _content(
    plan: Plan, spec: str, plan_id: str | None, created_at: str | None, valid_hours: float
) -> dict[str, Any]:
    made = datetime.fromisoformat(created_at) if created_at else datetime.now(UTC)
    expires = made + timedelta(hours=valid_hours)
    return {
        "format_version": PLAN_FORMAT_VERSION,
        "plan_id": plan_id or uuid.uuid4().hex,
        # Milliseconds: the last applied plan is known by when it was made (apply/ledger.py).
        "created_at": made.isoformat(timespec="milliseconds"),
        "expires_at": expires.isoformat(timespec="seconds"),
        "spec": spec,
        "organization_id": plan.organization_id,
        **({"management_account": plan.management_account} if plan.management_account else {}),
        "ids": plan.ids,
        **({"spec_digest": plan.spec_digest} if plan.spec_digest else {}),
        **({"scope": plan.scope} if plan.scope is not None else {}),
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
    if not isinstance(data.get("plan_id"), str) or not PLAN_ID.match(data["plan_id"]):
        raise OrgstackError(
            f"the plan file's plan_id {str(data.get('plan_id'))[:40]!r} is not one `orgstack "
            "plan` writes (32 hexadecimal digits)",
            "Pass the file `orgstack plan -o` wrote, unedited.",
        )
    try:
        plan = _plan(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise OrgstackError(
            f"the plan file is malformed ({type(exc).__name__}: {exc})",
            "Pass the file `orgstack plan -o` wrote, unedited.",
        ) from None
    check_consistent(plan)
    return plan


def check_consistent(plan: Plan) -> None:
    """Refuse a creation whose value names another object than its address: what the plan
    shows (the address) is what apply would make (the value); and in a partial plan, any
    change outside its targets."""
    if plan.scope is not None:
        from orgstack.plan.scope import Scope, refused

        outside = refused(plan.changes, Scope.from_dict(plan.scope))
        if outside:
            raise OrgstackError(
                f"the plan is partial (--target {' '.join(plan.scope['targets'])}) but holds "
                f"changes outside its targets: {', '.join(outside[:5])}"
                + (f" and {len(outside) - 5} more" if len(outside) > 5 else ""),
                "The file was edited after `orgstack plan` wrote it; make and review a new plan.",
            )
    for index, change in enumerate(plan.changes):
        after = change.after or {}
        if change.action != Action.CREATE or "name" not in after:
            continue
        kind, _, name = change.address.partition(":")
        expected: dict[str, Any] = {"name": paths.names(name)[-1]} if kind == "ou" else {}
        if kind == "ou":
            expected["parent"] = paths.parent(name) or "root"
        elif kind in ("account", *(t.address_prefix for t in PolicyType)):
            expected["name"] = name
        wrong = {k: after[k] for k, v in expected.items() if k in after and after[k] != v}
        if wrong:
            raise OrgstackError(
                f"the plan file contradicts itself: change {index} is {change.address} but "
                f"would create {wrong}",
                "The file was edited after `orgstack plan` wrote it; make and review a new plan.",
            )


def _plan(data: dict[str, Any]) -> Plan:
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
        spec_digest=data.get("spec_digest"),
        scope=data.get("scope"),
        management_account=data.get("management_account"),
    )


def check_current(data: dict[str, Any], now: datetime | None = None) -> None:
    """Refuse a plan past its expiry (or without one: a file edited to outlive it)."""
    try:
        expires = datetime.fromisoformat(str(data["expires_at"]))
    except (KeyError, ValueError):
        raise OrgstackError(
            "the plan file has no valid expires_at (plans made by orgstack say when they expire)",
            "Make a new plan with `orgstack plan -o plan.json`, review it, and apply that file.",
        ) from None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if (now or datetime.now(UTC)) > expires:
        raise OrgstackError(
            f"the plan {data.get('plan_id')} expired at {expires.isoformat(timespec='seconds')} "
            "(AWS may have changed in ways its stale check does not see)",
            "Make a new plan with `orgstack plan -o plan.json` (--valid-for HOURS to keep it "
            "longer), review it, and apply that file.",
        )


def write_plan(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, readable by the owner only (a plan names accounts, roles and ids);
    into anything that is not a regular file (/dev/null, a FIFO) in place."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
        return
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.chmod(0o600)
    tmp.replace(path)


def read_plan(path: Path) -> tuple[Plan, dict[str, Any]]:
    """The plan in ``path``, refused when its content no longer matches its digest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OrgstackError(
            f"cannot read the plan {path}: {exc}", "Pass the file `plan -o` wrote."
        ) from None
    if not isinstance(data, dict):
        raise OrgstackError(f"{path} is not a plan file", "Pass the file `plan -o` wrote.")
    plan = plan_from_dict(data)
    if data.get("digest") != content_digest(data):
        raise OrgstackError(
            f"the plan {path} was changed after `orgstack plan` wrote it: its content no longer "
            "matches its digest",
            "Make a new plan with `orgstack plan -o plan.json`, review it, and apply that file.",
        )
    return plan, data
