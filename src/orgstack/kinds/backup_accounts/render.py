"""One plan line for an account's backup role or local vault."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    part = in_account(change.address)
    if change.action == Action.UPDATE:
        return f"restores {', '.join(sorted(before)) or 'nothing'}"
    if change.action == Action.DELETE:
        return "left in place (orgstack never deletes a vault, a key or the backup role)"
    if part == "role":
        return f"{after.get('name')}: AWS Backup runs the backup policy's jobs as it"
    if part.startswith("key/"):
        return (
            f"{after.get('region')}: {after.get('alias')}, shared with the backup account "
            "(encrypt EBS and RDS data with it: its backups can be copied there)"
        )
    return f"{after.get('region')}: local vault {after.get('name')} (copied to the central vault)"
