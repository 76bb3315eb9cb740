"""The diagram joins each member account to the network account by its segment; the report
shows the network section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.network.vocabulary import SECTION
from orgstack.model import OrgModel


def relations(model: OrgModel, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return []
    hub = section["account"]
    return [
        {"from": account, "to": hub, "label": f"{segment} segment", "style": "network"}
        for account, segment in sorted(section["members"].items())
        if account != hub
    ]


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": SECTION, "title": "Network", "rank": 25}
