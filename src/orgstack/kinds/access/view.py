"""How the report and the diagram show people's access: the access matrix with each user's
roles (``access --matrix --format json``), and an arrow from the people to each account they
may enter, labelled with the levels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.access.matrix import matrix_data
from orgstack.model import OrgModel


def relations(model: OrgModel, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    access = model.access
    if access is None:
        return []
    data = matrix_data(model)
    who = "Identity Center" if data["mode"] == "identity-center" else "IAM users"
    home = data.get("identity_account") or "management"
    node = {"id": "identity", "label": f"{who} ({home})", "address": "identity", "kind": "identity"}
    found: list[dict[str, Any]] = [{"node": node, "style": "access"}]
    for row in data["accounts"]:
        levels = sorted({level for grants in row["grants"].values() for level in grants})
        if levels:
            found.append({"node": node, "to": row["account"], "label": ", ".join(levels),
                          "style": "access"})  # fmt: skip
    return found


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    """The document's ``access`` (the matrix, shown in the report's Access section)."""
    return {"document": {"access": matrix_data(model) if model.access is not None else None}}
