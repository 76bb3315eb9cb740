"""Likely renames: a key renamed in the spec without a pinned ``id:`` reads as a new object
plus a leftover (a new OU and an unmanaged one, a new account and a suspended one). Matching
by id is the cure; this finds the pairs that look like renames and says how to pin the id."""

from __future__ import annotations

from orgstack.model import OrgModel, paths
from orgstack.plan.model import Action, Plan, Preflight

HINT = "If it is a rename, pin the id in the spec (`{where}.id: '{id}'`) and plan again: the "
HINT += "plan then renames it instead."


def likely_renames(desired: OrgModel, actual: OrgModel | None, plan: Plan) -> tuple[Preflight, ...]:
    """Warnings for each (new, leftover) pair that looks like one object renamed."""
    if actual is None:
        return ()
    created = {c.address for c in plan.changes if c.action == Action.CREATE}
    leaving = {c.address for c in plan.changes if c.action in (Action.SUSPEND, Action.CLOSE)}
    leaving |= {u.address for u in plan.unmanaged}
    return _accounts(desired, actual, created, leaving) + _ous(
        desired, actual, plan, created, leaving
    )


def _accounts(
    desired: OrgModel, actual: OrgModel, created: set[str], leaving: set[str]
) -> tuple[Preflight, ...]:
    new = [a for a in desired.accounts if a.address in created]
    old = [a for a in actual.accounts if a.address in leaving and a.id]
    found = []
    for account in new:
        same_ou = [o for o in old if o.ou == account.ou]
        rivals = [a for a in new if a.ou == account.ou]
        if len(same_ou) == 1 and len(rivals) == 1:
            live = same_ou[0]
            found.append(
                Preflight(
                    "warning",
                    f"{account.address} is created while {live.address} ({live.id}, "
                    f"{live.email}) in the same OU leaves the spec: a renamed key?",
                    HINT.format(where=f"accounts.{account.name}", id=live.id)
                    + " Keep its e-mail too (`email:`): a root e-mail changes only by hand.",
                )
            )
    return tuple(found)


def _ous(
    desired: OrgModel, actual: OrgModel, plan: Plan, created: set[str], leaving: set[str]
) -> tuple[Preflight, ...]:
    by_id = {a.id: a for a in actual.accounts if a.id}
    found = []
    for ou in desired.ous:
        if ou.address not in created:
            continue
        members = {
            plan.ids[a.address]
            for a in desired.accounts
            if a.ou == ou.path and a.address in plan.ids
        }
        if not members:
            continue
        parent = paths.parent(ou.path)
        for live in actual.ous:
            if live.address not in leaving or not live.id or paths.parent(live.path) != parent:
                continue
            held = {i for i, a in by_id.items() if a.ou == live.path}
            if members <= held:
                found.append(
                    Preflight(
                        "warning",
                        f"{ou.address} is created for accounts that {live.address} ({live.id}) "
                        "holds, which leaves the spec: a renamed OU?",
                        HINT.format(where=_ou_where(ou.path), id=live.id),
                    )
                )
    return tuple(found)


def _ou_where(path: str) -> str:
    return "organizational_units." + ".children.".join(paths.names(path))
