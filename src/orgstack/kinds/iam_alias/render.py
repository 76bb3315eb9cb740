"""One plan line for an account alias: the sign-in URL it gives."""

from __future__ import annotations

from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    alias = (change.after or {}).get("alias")
    if change.action == Action.DELETE:
        return f"remove {(change.before or {}).get('alias')}"
    url = f"https://{alias}.signin.aws.amazon.com/console"
    if change.action == Action.UPDATE:
        return f"{(change.before or {}).get('alias')} → {alias} ({url})"
    return f"{alias} ({url})"
