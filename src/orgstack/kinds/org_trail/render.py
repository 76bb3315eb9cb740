"""One plan line for the organization trail."""

from __future__ import annotations

from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    if change.action == Action.UPDATE:
        changed = sorted(before)  # an update's before holds what differs
        return f"restores {', '.join(changed) or 'nothing'}"
    if change.action == Action.DELETE:
        return "left in place (orgstack never deletes the organization trail)"
    return f"every account and Region, global events, validated files → s3://{after.get('bucket')}"
