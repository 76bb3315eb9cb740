"""One plan line for a delegated administrator."""

from __future__ import annotations

from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    if change.action == Action.DELETE:
        return f"deregister {before.get('account')} (DeregisterDelegatedAdministrator)"
    if change.action == Action.UPDATE:
        return f"from {before.get('account')} to {after.get('account')}"
    return f"register {after.get('account')} (RegisterDelegatedAdministrator)"
