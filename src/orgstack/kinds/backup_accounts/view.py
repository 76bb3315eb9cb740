"""How the diagram shows backups: each covered account's copies flowing into the backup
account; the report shows the covered accounts' roles, vaults and keys in the Backup section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import SECTION
from orgstack.model.kind import account_of


def relations(model: OrgModel, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    central = (model.sections.get(SECTION) or {}).get("account")
    if not central:
        return []
    covered = sorted({account_of(address) for address in resources} - {central})
    return [
        {"from": account, "to": central, "label": "backup copies", "style": "backup"}
        for account in covered
    ]


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"section": SECTION, "title": "Backup", "rank": 30}
