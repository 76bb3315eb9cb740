"""Access changes for people: one short line each (the plan groups them by account)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from orgstack.kinds.access.vocabulary import kind_of
from orgstack.plan.model import Action, Change


def _short(arn: str) -> str:
    """``arn:aws:iam::123:user/alice`` → ``alice``; a policy ARN → its name."""
    return arn.rsplit("/", 1)[-1]


def _principals(trust: dict[str, Any] | None) -> list[str]:
    found: list[str] = []
    for statement in (trust or {}).get("Statement", []):
        if statement.get("Effect") == "Deny":
            continue  # a revoked role's deny-all trust names no one who may enter
        mfa = "aws:MultiFactorAuthPresent" in str(statement.get("Condition", ""))
        principals = (statement.get("Principal") or {}).get("AWS", [])
        for arn in [principals] if isinstance(principals, str) else principals:
            # A user is shown by name; anything else (an account, a role) in full.
            name = _short(arn) if ":user/" in arn else arn
            found.append(name + (" (MFA)" if mfa else ""))
    return sorted(found)


def _resources(policy: dict[str, Any] | None) -> list[str]:
    return sorted(r for s in (policy or {}).get("Statement", []) for r in s.get("Resource", []))


def _delta(label: str, old: Iterable[str], new: Iterable[str]) -> str:
    old_set, new_set = set(old), set(new)
    parts = [f"+{x}" for x in sorted(new_set - old_set)] + [
        f"-{x}" for x in sorted(old_set - new_set)
    ]
    return f"{label} {' '.join(parts)}" if parts else ""


def _role_arn(arn: str) -> str:
    """``arn:aws:iam::123:role/orgstack-ReadOnly`` → ``123/orgstack-ReadOnly``."""
    account = arn.split(":")[4]
    return f"{account}/{_short(arn)}"


def detail(change: Change) -> str:
    kind = kind_of(change.address)
    before, after = change.before or {}, change.after or {}
    if change.action in (Action.DELETE, Action.DETACH):
        return change.reason
    creating = change.action == Action.CREATE
    parts: list[str] = []
    if "trust" in after:
        parts.append(
            "trusts " + ", ".join(_principals(after["trust"]))
            if creating
            else _delta("trust", _principals(before.get("trust")), _principals(after["trust"]))
        )
    for key, label in (("max_session_s", "session"), ("session", "session")):
        if key in after:
            new = after[key]
            shown = f"{new // 3600}h" if isinstance(new, int) else str(new)
            if creating:
                parts.append(f"{label} {shown}")
            else:
                old = before.get(key)
                was = f"{old // 3600}h" if isinstance(old, int) else str(old)
                parts.append(f"{label} {was} → {shown}")
    if "managed" in after:
        names = [_short(a) for a in after["managed"]]
        parts.append(
            ", ".join(names)
            if creating
            else _delta("policies", [_short(a) for a in before.get("managed") or []], names)
        )
    if "inline" in after and (after["inline"] or not creating):
        parts.append("inline policy" if creating else "inline policy changes")
    if "members" in after:
        parts.append(
            "members " + (", ".join(after["members"]) or "(none)")
            if creating
            else _delta("members", before.get("members", []), after["members"])
        )
    if "assume" in after:
        new_roles = [_role_arn(r) for r in _resources(after["assume"])]
        parts.append(
            f"may switch to {len(new_roles)} role(s)"
            if creating
            else _delta(
                "switch-role", [_role_arn(r) for r in _resources(before.get("assume"))], new_roles
            )
        )
    if kind == "policy":
        parts.append("denies all but MFA set-up until signed in with MFA")
    for key in ("email", "display_name", "name", "description"):
        if key in after and (after[key] or not creating):
            parts.append(
                f"{key}={after[key]}" if creating else f"{key}: {before.get(key)} → {after[key]}"
            )
    if kind == "assignment":
        parts.append(f"to group {after.get('group')}")
    return " · ".join(p for p in parts if p)
