"""The report shows the log archive's key and buckets in the Logging section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.logs import SECTION as LOGGING


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": LOGGING, "title": "Logging", "rank": 10}
