"""The break glass kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.break_glass.vocabulary import (
    ADMINISTRATOR,
    PERMISSION,
    ROLE_ID,
    SECTION,
    TRUST_NOBODY,
    address,
    identity_account,
    made_users,
    own_users,
    permission,
    permission_address,
    trust,
    user_address,
)
from orgstack.model import OrgModel


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    value = {
        "name": section["role"],
        "trust": trust(section, model, ids),
        "policies": [ADMINISTRATOR],
        "max_session_s": section["max_session_s"],
    }
    found = {address(account): dict(value) for account in section["accounts"]}
    home = identity_account(model)
    for user in made_users(section, model) if home else []:
        found[user_address(str(home), user)] = {"name": user}
    for user in own_users(section, model) if home else []:
        found[permission_address(str(home), user)] = {
            "user": user,
            "name": PERMISSION,
            "document": permission(section, ids),
        }
    return found


def revoked(address: str, value: dict[str, Any]) -> dict[str, Any]:
    """A break-glass role where the spec wants none: it trusts nobody and may do nothing."""
    return {**value, "trust": TRUST_NOBODY, "policies": []}


def read_with(model: OrgModel) -> dict[str, str]:
    """The role's name: a whole plan revokes a role of that name wherever the spec wants none,
    even when it wants it nowhere."""
    section = model.sections.get(SECTION)
    return {ROLE_ID: section["role"]} if section else {}
