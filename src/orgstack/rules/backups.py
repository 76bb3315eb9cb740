"""What the backup rules judge on audit: each covered account as audit's inspection found it
(``flows/backups.py``: ``backup-inspection:<account>``, the spec's accounts and any other the
backup policy reaches)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel, Source
from orgstack.model.backup import SECTION

INSPECTED = "backup-inspection:"


def inspections(
    model: OrgModel,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], Source | None]]:
    """(address, what was found, the backup section, where the backup account is declared)
    of every covered account, sorted; nothing offline (only AWS says what an account has)."""
    section = model.sections.get(SECTION)
    account = model.account(section["account"]) if section else None
    if section is None or account is None or model.live_resources is None:
        return
    for address, value in sorted(model.live_resources.items()):
        if address.startswith(INSPECTED):
            yield address, value, section, account.source
