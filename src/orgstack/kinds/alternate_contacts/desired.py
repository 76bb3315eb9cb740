"""The alternate contacts kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.alternate_contacts.vocabulary import SECTION, SERVICE, address
from orgstack.model import OrgModel


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    contacts: Mapping[str, dict[str, dict[str, str]]] = model.sections.get(SECTION) or {}
    return {
        address(account, type_): dict(contact)
        for account, by_type in contacts.items()
        for type_, contact in sorted(by_type.items())
    }


def trusted_access(model: OrgModel) -> set[str]:
    """Setting a member account's contacts from the management account needs trusted access
    for the Account Management service."""
    contacts = model.sections.get(SECTION) or {}
    management = model.management
    members = [a for a in contacts if management is None or a != management.name]
    return {SERVICE} if members else set()
