"""The service principals every kind needs trusted access for (``trusted_access(model)`` in
a kind's ``desired.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.plan.model import Action, Change

PREFIX = "trusted-access:organization/"
#: Account Management: PutAccountName (an account rename) and alternate contacts.
ACCOUNT = "account.amazonaws.com"


def for_core_changes(changes: Iterable[Change]) -> dict[str, str]:
    """Service principals the organization layer's own changes need, with why: renaming an
    account (PutAccountName) needs trusted access for Account Management."""
    renames = [
        c.address.split(":", 1)[1]
        for c in changes
        if c.address.startswith("account:")
        and c.action == Action.UPDATE
        and "name" in (c.after or {})
    ]
    if not renames:
        return {}
    return {ACCOUNT: f"renaming {', '.join(renames)} (PutAccountName) needs it"}


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    from orgstack.registry import all_kinds

    principals: set[str] = set()
    for kind in all_kinds():
        wants = getattr(kind.desired_module, "trusted_access", None)
        if wants is not None:
            principals |= wants(model)
    return {PREFIX + p: {"enabled": True} for p in sorted(principals)}
