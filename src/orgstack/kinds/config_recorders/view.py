"""How the diagram shows Config: every account's Config records flowing into the log
archive; the report shows the kind in the Logging section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.logs import SECTION as LOGGING
from orgstack.model.logs import into_archive


def relations(model: OrgModel, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    return into_archive(model.sections, resources, "Config")


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": LOGGING, "title": "Logging", "rank": 10}
