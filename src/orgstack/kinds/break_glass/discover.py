"""``orgstack import``: the ``break_glass:`` section the live organization implies — the role
the imported log archive or backup section exempts (else orgstack's default name), the member
accounts that have it, whom its trust admits (users of the management account by name, other
principals by ARN) and its session length. A role whose trust is not orgstack's shape (one
statement allowing sts:AssumeRole with MFA) is listed as not imported. Only with an imported
logging: or backup: section (the role is their guardrails' one exemption) are the accounts
asked.

IAM actions: sts:AssumeRole, iam:GetRole
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from orgstack.aws.reading import ReadContext
from orgstack.kinds.break_glass.schema import BreakGlassSpec
from orgstack.model.kind import Discovered, DiscoverRequest

DEFAULT_ROLE = BreakGlassSpec(trusted=["x"]).role


def _role(ctx: ReadContext, account_id: str, name: str) -> dict[str, Any] | None:
    found = ctx.absent(ctx.member(account_id), "get_role", RoleName=name)
    return None if found is None else dict(found["Role"])


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    guarded = [request.spec[s] for s in ("logging", "backup") if s in request.spec]
    if not guarded:
        # The role is the one exemption of the log and backup guardrails: without either
        # section there is nothing it is for, and every account need not be asked.
        return Discovered()
    named = [section.get("break_glass_role") for section in guarded]
    name = next((n for n in named if n), DEFAULT_ROLE)
    names = {i: n for i, n in request.names().items() if i != ctx.home}
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {i: pool.submit(_role, ctx, i, name) for i in names}
        roles = {i: role for i, f in futures.items() if (role := f.result()) is not None}
    if not roles:
        return Discovered()
    trusted, hours = set(), set()
    for account_id, role in roles.items():
        found = _trusted(role["AssumeRolePolicyDocument"], ctx.home)
        if found is None:
            return Discovered(notes=[
                f"break_glass: role {name} in {names[account_id]} trusts other than named "
                "principals with MFA; write break_glass: by hand"
            ])  # fmt: skip
        trusted |= set(found)
        hours.add(int(role.get("MaxSessionDuration", 3600)) // 3600)
    section: dict[str, Any] = {"trusted": sorted(trusted)}
    if name != DEFAULT_ROLE:
        section["role"] = name
    section["accounts"] = sorted(names[i] for i in roles)
    if max(hours) != 1:
        section["max_session_hours"] = max(hours)
    return Discovered(section)


def _trusted(document: Any, home: str) -> list[str] | None:
    """The trusted principals (a user of the management account by name), or None when the
    trust is not orgstack's shape."""
    if isinstance(document, str):
        document = json.loads(unquote(document))
    statements = document.get("Statement", [])
    if len(statements) != 1:
        return None
    statement = statements[0]
    mfa = (statement.get("Condition") or {}).get("Bool", {}).get("aws:MultiFactorAuthPresent")
    if isinstance(mfa, list) and len(mfa) == 1:
        mfa = mfa[0]
    if statement.get("Effect") != "Allow" or str(mfa).lower() != "true":
        return None
    arns = (statement.get("Principal") or {}).get("AWS") or []
    arns = [arns] if isinstance(arns, str) else list(arns)
    prefix = f"arn:aws:iam::{home}:user/"
    return [a.removeprefix(prefix) if a.startswith(prefix) and "/" not in a[len(prefix):] else a
            for a in arns]  # fmt: skip
