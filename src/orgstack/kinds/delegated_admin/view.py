"""How the diagram shows delegated administration: an arrow from the management account to the
security account with the services it administers; the report's Security section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.delegated_admin.vocabulary import SECTION
from orgstack.model import OrgModel


def relations(model: OrgModel, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    security = model.sections.get(SECTION) or {}
    admin, services = security.get("account"), security.get("services") or ()
    management = model.management
    if management is None or not admin or not services or admin == management.name:
        return []
    label = "delegated admin: " + ", ".join(services)
    return [{"from": management.name, "to": admin, "label": label, "style": "admin"}]


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": SECTION, "title": "Security", "rank": 20}
