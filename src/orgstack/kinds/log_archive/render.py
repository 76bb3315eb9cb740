"""One plan line for a part of the log archive."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    part = in_account(change.address)
    if change.action == Action.UPDATE:
        changed = sorted(before)  # an update's before holds what differs
        return f"changes {', '.join(changed) or 'nothing'}"
    if change.action == Action.DELETE:
        return "left in place (orgstack never deletes the log archive)"
    if part == "key":
        return f"{after.get('alias')}: for the organization's CloudTrail and Config, rotated"
    lock = after.get("object_lock")
    shown = f"{after.get('name')}: versioned, public access blocked, TLS only"
    if lock:
        shown += f", Object Lock {lock['mode'].lower()} {lock['days']} days, KMS"
    elif part == "config-bucket":
        shown += ", KMS, AWS Config's deliveries (Config cannot deliver into a locked bucket)"
    return shown
