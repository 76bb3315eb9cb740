"""Refuse a stale plan: every fingerprinted live value must be as it was when planned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.apply.context import ApplyError
from orgstack.model import OrgModel, Root
from orgstack.model.kind import Live as KindLive
from orgstack.plan import resources
from orgstack.plan.fingerprint import Live, digest, state
from orgstack.plan.model import Plan
from orgstack.registry import kind_for


def _by_key(live: OrgModel | None, key: str) -> Live:
    if live is None:
        return None
    if key.startswith("id:"):
        wanted = key[3:]
        if live.organization.id == wanted:
            return live.organization
        if live.organization.root_id == wanted:
            return Root(wanted, live.organization.root_tags or {})
        found: list[Live] = [*live.ous, *live.accounts, *live.policies]
        return next((o for o in found if o is not None and o.id == wanted), None)
    if key == "organization":
        return live.organization
    kind, _, name = key.partition(":")
    if kind == "ou":
        return live.ou(name)
    if kind == "account":
        return live.account(name)
    return next((p for p in live.policies if p.address == key), None)


def _differences(address: str, key: str, then: Any, now: Any) -> list[str]:
    if then is None:
        return [f"{address}: did not exist when planned, exists now"]
    if now is None:
        return [f"{address}: existed when planned ({key}), is gone now"]
    return [
        f"{address}: {field} was {then.get(field)!r} when planned, is now {now.get(field)!r}"
        for field in sorted(set(then) | set(now))
        if then.get(field) != now.get(field)
    ]


def check_fresh(
    plan: Plan,
    live: OrgModel | None,
    skip: set[str],
    kinds: Mapping[str, KindLive] | None = None,
) -> None:
    """Raise, naming each changed value, when the plan no longer matches AWS (``kinds``: the
    live resources of the kinds the plan changes, by kind name)."""
    problems: list[str] = []
    seen: set[str] = set()
    found: dict[str, Any] = {}
    for kind_live in (kinds or {}).values():
        found |= kind_live.resources
    for change in plan.changes:
        for key, expected in change.fingerprints.items():
            if key in skip or key in seen:
                continue
            seen.add(key)
            if kind_for(key) is not None:
                now = found.get(key)
                if resources.digest(now) != expected:
                    problems += _differences(change.address, key, change.observed.get(key), now)
                continue
            current = _by_key(live, key)
            if digest(current) != expected:
                problems += _differences(
                    change.address, key, change.observed.get(key), state(current)
                )
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ApplyError(
            f"the plan is stale: AWS changed since it was made\n{shown}{more}",
            "Run `orgstack plan -o plan.json` again, review it, and apply the new plan.",
        )
