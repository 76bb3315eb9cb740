"""One plan line for an alternate contact: who, and what changes."""

from __future__ import annotations

from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    if change.action == Action.DELETE:
        return f"remove {before.get('name')} <{before.get('email')}>"
    shown = (
        f"{after.get('name')} ({after.get('title')}) <{after.get('email')}> {after.get('phone')}"
    )
    if change.action == Action.UPDATE:
        changed = sorted(k for k in after if before.get(k) != after.get(k) and k in before)
        return f"{shown}; changes {', '.join(changed) or 'nothing'}"
    return shown
