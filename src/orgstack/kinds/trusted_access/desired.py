"""The service principals every kind needs trusted access for (``trusted_access(model)`` in
a kind's ``desired.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel

PREFIX = "trusted-access:organization/"


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    from orgstack.registry import all_kinds

    principals: set[str] = set()
    for kind in all_kinds():
        wants = getattr(kind.desired_module, "trusted_access", None)
        if wants is not None:
            principals |= wants(model)
    return {PREFIX + p: {"enabled": True} for p in sorted(principals)}
