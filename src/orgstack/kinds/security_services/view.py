"""The report shows GuardDuty, Security Hub, Access Analyzer and the Config aggregator in the
Security section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.security_services.vocabulary import SECTION
from orgstack.model import OrgModel


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": SECTION, "title": "Security", "rank": 20}
