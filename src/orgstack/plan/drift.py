"""Drift: each difference between the spec and AWS, in both sides' words, with its origin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orgstack.model import OrgModel, Source
from orgstack.plan.docdiff import DOCUMENTS, document_diff
from orgstack.plan.model import Action, Change, Plan
from orgstack.registry import kind_for


@dataclass(frozen=True)
class DriftItem:
    """One difference: what differs on which object, the spec's and the live value, where the
    spec declares it."""

    address: str
    what: str
    spec: str
    live: str
    origin: Source | None
    #: For a policy or trust document: how the live one would change (``-`` live, ``+`` spec).
    diff: tuple[str, ...] = ()


def _text(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _items(change: Change) -> list[tuple[str, str, str]]:
    before, after = change.before or {}, change.after or {}
    kind = kind_for(change.address)
    if kind is not None and change.action in (Action.DELETE, Action.DETACH):
        return [("existence", kind.info.absent, "exists")]
    match change.action:
        case Action.MOVE:
            return [("ou", after["ou"], before["ou"])]
        case Action.TAG:
            return [(f"tag {k}", _text(v), _text(before.get(k))) for k, v in after.items()]
        case Action.UNTAG:
            return [(f"tag {k}", "(none)", _text(v)) for k, v in before.items()]
        case Action.ATTACH:
            return [("attachment", f"attached to {after['target']}", "not attached")]
        case Action.DETACH:
            return [("attachment", "not attached", f"attached to {before['target']}")]
        case Action.CREATE:
            return [("existence", "declared", "missing")]
        case Action.ENABLE:
            return [("policy type", "used", "not enabled")]
        case _:
            # A kind with full updates carries every field in ``after``; ``before`` holds
            # only what differs.
            full = kind is not None and kind.info.full_updates
            return [
                (
                    key,
                    "(changed)" if key in DOCUMENTS else _text(value),
                    "(differs)" if key in DOCUMENTS else _text(before.get(key)),
                )
                for key, value in after.items()
                if not full or key in before
            ]


def drift(plan: Plan, desired: OrgModel) -> list[DriftItem]:
    """Every difference the plan would remove, and every live object the spec lacks."""
    sources = {o.address: o.source for o in desired.objects()}
    items = [
        DriftItem(
            change.address,
            what,
            spec,
            live,
            sources.get(change.address),
            tuple(document_diff((change.before or {}).get(what), (change.after or {}).get(what)))
            if what in DOCUMENTS and change.action == Action.UPDATE
            else (),
        )
        for change in plan.changes
        for what, spec, live in _items(change)
    ]
    items += [
        DriftItem(u.address, "existence", "not declared", f"exists ({u.id})", None)
        for u in plan.unmanaged
    ]
    return items
