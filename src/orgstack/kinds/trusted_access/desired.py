"""The trusted access kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from orgstack.kinds.trusted_access.vocabulary import ACCOUNT, PREFIX
from orgstack.model import OrgModel
from orgstack.plan.model import Action, Change


def for_changes(
    changes: Iterable[Change], organization: Any
) -> dict[str, tuple[dict[str, Any], str]]:
    """What the organization layer's own planned changes need that the live ``organization``
    (None: assume nothing) lacks, with why: renaming an account (PutAccountName) needs
    trusted access for Account Management."""
    renames = [
        c.address.split(":", 1)[1]
        for c in changes
        if c.address.startswith("account:")
        and c.action == Action.UPDATE
        and "name" in (c.after or {})
    ]
    enabled = set(organization.organization.service_access) if organization else set()
    if not renames or ACCOUNT in enabled:
        return {}
    why = f"renaming {', '.join(renames)} (PutAccountName) needs it"
    return {PREFIX + ACCOUNT: ({"enabled": True}, why)}


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    from orgstack.registry import all_kinds

    principals: set[str] = set()
    for kind in all_kinds():
        principals |= kind.trusted_access(model)
    return {PREFIX + p: {"enabled": True} for p in sorted(principals)}
