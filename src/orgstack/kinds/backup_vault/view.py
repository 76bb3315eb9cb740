"""The report shows the central vault, its key and settings in the Backup section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import SECTION


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": SECTION, "title": "Backup", "rank": 30}
