"""The organization's changes in the plan, one line each: what a creation sets, where an
account moves, what a tag becomes, which target a policy gains or loses, what an update
changes (a policy's content is shown as a diff below the line)."""

from __future__ import annotations

import json
from typing import Any

from orgstack.plan.model import Action, Change


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    action = change.action
    if action == Action.CREATE:
        shown = {
            k: v
            for k, v in after.items()
            if k not in ("content", "description", "access_role") and v not in (None, {}, "")
        }
        return " ".join(f"{k}={_value(v)}" for k, v in shown.items())
    if action == Action.MOVE:
        return f"{before['ou']} → {after['ou']}"
    if action in (Action.ATTACH, Action.DETACH):
        return f"→ {after['target']}" if action == Action.ATTACH else f"from {before['target']}"
    if action == Action.UNTAG:
        return ", ".join(f"-{k}" for k in before)
    if action == Action.TAG:
        return ", ".join(
            f"{k}: {_value(before.get(k)) if before.get(k) is not None else '(none)'} → {_value(v)}"
            for k, v in after.items()
        )
    if action == Action.ENABLE:
        return "DISABLED → ENABLED"
    parts = []
    for key, new in after.items():
        if key == "content":
            parts.append("content changes (below)")
        else:
            parts.append(f"{key}: {_value(before.get(key))} → {_value(new)}")
    return ", ".join(parts)
