"""One plan line for a part of the central vaults, and the warning a lock deserves."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    region, part = in_account(change.address).split("/")
    if change.action == Action.UPDATE:
        return f"restores {', '.join(sorted(before)) or 'nothing'} in {region}"
    if change.action == Action.DELETE:
        return f"left in place in {region} (orgstack never deletes a vault or its key)"
    if part == "settings":
        return f"{region}: cross-account backup on (copies into the backup account)"
    if part == "key":
        return f"{region}: {after.get('alias')}, for the organization's copies, rotated"
    lock = after.get("lock") or {}
    return (
        f"{region}: {after.get('name')}, copies from the organization only, deletes denied, "
        f"Vault Lock compliance {lock.get('min_retention_days')}-"
        f"{lock.get('max_retention_days')} days"
    )


def warning(change: Change) -> tuple[str, str] | None:
    """A compliance lock becomes permanent after its grace period: say so before apply."""
    before, after = change.before, change.after or {}
    if change.action not in (Action.CREATE, Action.UPDATE) or "lock" not in after:
        return None
    if before is not None and "lock" not in before:
        return None
    lock = after["lock"]
    return (
        f"{change.address}: Vault Lock in compliance mode; {lock['grace_days']} days after this "
        f"apply no one (not the root user, not AWS) can remove the lock or keep recovery points "
        f"for less than {lock['min_retention_days']} or more than "
        f"{lock['max_retention_days']} days",
        "Check backup.lock now; within the grace period `orgstack apply` can still change it.",
    )
