"""The changes of every resource kind: desired resources against what was read, one diff."""

from __future__ import annotations

from collections.abc import Mapping

from orgstack.model import OrgModel
from orgstack.model.kind import Kind, Live, account_of
from orgstack.plan.model import Action, Change, Preflight, Unmanaged
from orgstack.plan.resources import resource_changes

ACTION_ORDER = (Action.CREATE, Action.ENABLE, Action.UPDATE, Action.DETACH, Action.DELETE)


def kind_changes(
    kind: Kind,
    desired: Mapping[str, dict[str, object]],
    live: Live,
    *,
    allow_delete: bool,
) -> tuple[list[Change], list[Unmanaged]]:
    """One kind's changes, creations first and removals last, by type then address."""
    changes, unmanaged = resource_changes(
        desired,
        live.resources,
        live.managed,
        kind.removal,
        allow_delete=allow_delete,
        live_ids=live.ids,
        detach_reason=kind.info.detach_reason,
        full_updates=kind.info.full_updates,
        revoked=kind.revoked,
        fixed=lambda address: kind.type_of(address) in kind.info.fixed,
    )
    types = kind.info.types

    def order(change: Change) -> tuple[int, int, str]:
        type_ = kind.type_of(change.address)
        return (
            ACTION_ORDER.index(change.action),
            types.index(type_) if type_ in types else len(types),
            change.address,
        )

    return sorted(changes, key=order), unmanaged


def plan_kinds(
    model: OrgModel,
    kinds: tuple[Kind, ...],
    lives: Mapping[str, Live],
    ids: Mapping[str, str],
    *,
    allow_delete: bool,
    only: frozenset[str] | None = None,
) -> tuple[list[Change], list[Unmanaged], list[Preflight]]:
    """The changes of every kind that was read (``lives`` by kind name), in registry order;
    ``only``: a partial plan's accounts (other accounts' resources were not read; diffing
    them would be wasted work)."""
    changes: list[Change] = []
    unmanaged: list[Unmanaged] = []
    preflight: list[Preflight] = []
    for kind in kinds:
        live = lives.get(kind.name)
        if live is None:
            continue
        preflight += [Preflight("error", message, hint) for message, hint in live.problems]
        for message, hint in live.warnings:
            if (note := Preflight("warning", message, hint)) not in preflight:
                preflight.append(note)
        preflight += [Preflight("pending", message, hint) for message, hint in live.pending]
        wanted = kind.desired(model, ids)
        if only is not None:
            keep = only | {"organization"}
            wanted = {a: v for a, v in wanted.items() if account_of(a) in keep}
        found, left = kind_changes(kind, wanted, live, allow_delete=allow_delete)
        # A kind may warn about a change that cannot be undone (render.py's ``warning``).
        warned = (kind.warning(change) for change in found)
        preflight += [Preflight("warning", *text) for text in warned if text is not None]
        changes += found
        unmanaged += left
    if model.unmanaged == "ignore":
        unmanaged = []
    return changes, unmanaged, preflight
