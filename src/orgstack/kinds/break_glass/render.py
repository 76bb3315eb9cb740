"""One plan line for the break-glass role."""

from __future__ import annotations

from orgstack.plan.model import Action, Change


def detail(change: Change) -> str:
    after = change.after or {}
    if "/user/" in change.address:
        return f"{after.get('name')}: an IAM user for break-glass (no password, no key)"
    if "/permission/" in change.address:
        user = after.get("user") or (change.before or {}).get("user")
        if change.action == Action.DELETE:
            return f"{user}: may no longer assume the break-glass role"
        roles = ((after.get("document") or {}).get("Statement") or [{}])[0].get("Resource")
        count = len(roles) if isinstance(roles, list) else 1
        return f"{user} may assume the break-glass role in {count} account(s), with MFA"
    if change.action == Action.UPDATE and after.get("policies") == []:
        return f"{after.get('name')}: revoked (trusts nobody, no policies)"
    statements = (after.get("trust") or {}).get("Statement") or [{}]
    trusted = (statements[0].get("Principal") or {}).get("AWS") or []
    names = [
        str(p).rsplit("/", 1)[-1] for p in (trusted if isinstance(trusted, list) else [trusted])
    ]
    hours = int(after.get("max_session_s", 3600)) // 3600
    shown = f"{after.get('name')}: {', '.join(names) or 'nobody'} with MFA, {hours} h sessions"
    return shown if change.action == Action.CREATE else f"restore {shown}"
