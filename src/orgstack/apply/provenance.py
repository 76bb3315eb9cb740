"""A plan runs only as its spec would make it. The plan file's digest is unkeyed: whoever can
edit the file can recompute it. So apply compiles the spec the plan names, refuses it when it
is not the spec the plan was made from (its ``spec_digest``), and refuses every change whose
values that spec does not produce: a creation, update, move or tag must carry the values the
spec declares for its address (ids resolved), an attachment or enablement must be declared, a
detachment, deletion or closure must be of something the spec no longer declares, and a
revocation must be exactly the kind's ``revoked`` value. What the live organization looked
like is still checked by the stale check; this checks what the plan would write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.errors import OrgstackError
from orgstack.model import OrgModel
from orgstack.plan.model import Action, Change, Plan
from orgstack.plan.resources import digest, resolve

WRITES = (Action.CREATE, Action.UPDATE, Action.MOVE, Action.TAG)
DECLARES = (Action.ATTACH, Action.ENABLE)
REMOVES = (Action.DETACH, Action.DELETE, Action.CLOSE, Action.SUSPEND)
HINT = "The file was edited after `orgstack plan` wrote it; make and review a new plan."


def _consistent(found: Any, wanted: Any) -> bool:
    """Whether ``found`` (a change's value, maybe naming only what differs) agrees with
    ``wanted`` (what the spec makes): equal, or for mappings every key of ``found`` agrees."""
    if isinstance(found, dict) and isinstance(wanted, dict):
        return all(k in wanted and _consistent(v, wanted[k]) for k, v in found.items())
    return bool(found == wanted)


def _differing(found: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    return sorted(k for k, v in found.items() if k not in wanted or not _consistent(v, wanted[k]))


def _tags(value: dict[str, Any] | None) -> dict[str, Any]:
    """The tags a declared object wants: its ``tags``, or the value itself where the spec's
    plan only tags it (the management account, the root)."""
    value = value or {}
    tags = value.get("tags")
    return tags if isinstance(tags, dict) else value


def desired_values(
    model: OrgModel, ids: Mapping[str, str]
) -> tuple[dict[str, dict[str, Any] | None], dict[str, list[Any]]]:
    """Every address the spec declares, with its values (ids resolved): the organization's
    objects as a plan from nothing makes them, and every kind's resources; and each policy's
    (or other attachable's) declared attachments."""
    from orgstack.plan import lifecycle
    from orgstack.registry import all_kinds, core_kind

    found: dict[str, dict[str, Any] | None] = {}
    attached: dict[str, list[Any]] = {}
    for change in core_kind().diff(model, None, allow_close=True).changes:
        if change.action in DECLARES:
            attached.setdefault(change.address, []).append(resolve(change.after, ids))
        if change.action not in REMOVES and change.action != Action.ATTACH:
            found[change.address] = resolve(change.after, ids)
    for kind in all_kinds():
        for address, value in kind.desired(model, ids).items():
            found[address] = resolve(value, ids)
    # Where accounts that left the spec are parked (plan/lifecycle.py), exactly as it makes it.
    for address, value in lifecycle.SUSPENDED_PARTS.items():
        found.setdefault(address, value)
    suspended, policy = f"ou:{lifecycle.SUSPENDED}", f"scp:{lifecycle.SUSPEND_POLICY}"
    attached.setdefault(policy, []).append({"target": suspended})
    attached.setdefault("policy-type:SERVICE_CONTROL_POLICY", []).append({"status": "ENABLED"})
    return found, attached


def _revoked(change: Change, ids: Mapping[str, str]) -> dict[str, Any] | None:
    from orgstack.registry import kind_for

    kind = kind_for(change.address)
    if kind is None or kind.removal(change.address) != "revoke":
        return None
    current = change.observed.get(change.address)
    # What was observed is what the stale check compares with AWS (by its digest).
    if not isinstance(current, dict) or digest(current) != change.fingerprints.get(change.address):
        return None
    return dict(resolve(kind.revoked(change.address, current), ids))


def unproduced(
    plan: Plan, model: OrgModel, also: Mapping[str, dict[str, Any]] | None = None
) -> list[str]:
    """What in ``plan`` its spec does not produce, one line per change (``also``: what the
    plan's own changes need besides, e.g. trusted access for an account rename)."""
    ids = dict(plan.ids)
    wanted, attached = desired_values(model, ids)
    wanted.update(also or {})
    problems: list[str] = []
    for index, change in enumerate(plan.changes):
        address, action = change.address, change.action
        after = resolve(change.after or {}, ids)
        declared = address in wanted
        if action in WRITES:
            if declared:
                expected = wanted[address] or {}
                bad = _differing(after, _tags(expected) if action == Action.TAG else expected)
                if bad:
                    problems.append(
                        f"change {index} ({address}): {', '.join(bad)} not as the spec says"
                    )
                continue
            revoked = _revoked(change, ids) if action == Action.UPDATE else None
            if revoked is None or _differing(after, revoked):
                problems.append(f"change {index} ({address}): the spec declares no {address}")
        elif action in DECLARES and after not in attached.get(address, []):
            problems.append(f"change {index} ({address}): the spec declares no such {action.value}")
        elif action == Action.DETACH and resolve(change.before or {}, ids) in attached.get(
            address, []
        ):
            problems.append(f"change {index} ({address}): detaches what the spec declares")
        elif action in REMOVES and action != Action.DETACH and declared:
            problems.append(f"change {index} ({address}): {action.value} of what the spec declares")
        elif action == Action.UNTAG and declared:
            keep = _tags(wanted[address])
            lost = sorted(k for k in change.before or {} if k in keep)
            if lost:
                problems.append(
                    f"change {index} ({address}): removes tags the spec declares: {', '.join(lost)}"
                )
    return problems


def check_produced(
    plan: Plan, model: OrgModel, spec: str, also: Mapping[str, dict[str, Any]] | None = None
) -> None:
    """Refuse ``plan`` unless ``model`` (its spec, compiled now) is the one it was made from
    and produces every change."""
    from orgstack.plan.fingerprint import spec_digest

    if plan.spec_digest is None or spec_digest(model) != plan.spec_digest:
        raise OrgstackError(
            f"the spec {spec} is not the one the plan was made from",
            "Make a new plan with `orgstack plan -o plan.json` from the spec, review it, and "
            "apply that file.",
        )
    problems = unproduced(plan, model, also)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise OrgstackError(
            "the plan holds changes its spec does not make: " + "; ".join(problems[:3]) + more,
            HINT,
        )
