"""One plan line for an account's Config recorder in a Region."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    region = in_account(change.address)
    if change.action == Action.UPDATE:
        return f"restores {', '.join(sorted(before)) or 'nothing'} in {region}"
    if change.action == Action.DELETE:
        return f"left in place in {region} (orgstack never deletes a recorder)"
    scope = "all resources, global ones too" if after.get("global_resources") else "all resources"
    return f"{region}: {scope} → s3://{after.get('bucket')}"
