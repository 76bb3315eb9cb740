"""The backup vault kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.backup_vault.vocabulary import address, key_alias, key_policy, vault_policy
from orgstack.model import OrgModel
from orgstack.model.backup import PRINCIPAL, SECTION
from orgstack.plan.resources import canonical


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    management = model.management
    if not section or management is None:
        return {}
    account = section["account"]
    lock = section["lock"]
    found: dict[str, dict[str, Any]] = {}
    for region in section["regions"]:
        found[address(management.name, region, "settings")] = {
            "cross_account_backup": True,
            "region": region,
        }
        found[address(account, region, "key")] = {
            "alias": key_alias(section),
            "policy": canonical(key_policy(section, model, region, ids)),
            "rotation": True,
            "region": region,
        }
        found[address(account, region, "vault")] = {
            "name": section["vault"],
            "key": key_alias(section),
            "policy": canonical(vault_policy(section, model, ids)),
            "lock": {
                "min_retention_days": lock["min_retention_days"],
                "max_retention_days": lock["max_retention_days"],
                "grace_days": lock["grace_days"],
            },
            "region": region,
        }
    return found


def trusted_access(model: OrgModel) -> set[str]:
    """Backup policies and cross-account backup need AWS Backup's trusted access."""
    return {PRINCIPAL} if model.sections.get(SECTION) else set()
