"""The delegated admin kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.delegated_admin.vocabulary import SECTION, address
from orgstack.model import OrgModel
from orgstack.plan.resources import account_ref


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    account = section["account"]
    value = {"account": account, "account_id": account_ref(account, ids)}
    return {address(p): dict(value) for p in section["principals"]}


def trusted_access(model: OrgModel) -> set[str]:
    """Registering a delegated administrator needs the service's trusted access."""
    section = model.sections.get(SECTION)
    return set(section["principals"]) if section else set()
