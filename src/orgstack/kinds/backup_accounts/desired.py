"""The backup accounts kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.backup_accounts.vocabulary import (
    TRUST,
    address,
    restore_policy,
    source_key_policy,
)
from orgstack.model import OrgModel
from orgstack.model.backup import SECTION, SERVICE_POLICIES
from orgstack.plan.resources import account_ref, canonical


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    role = {
        "name": section["service_role"],
        "trust": canonical(TRUST),
        "policies": sorted(SERVICE_POLICIES),
    }
    # The backup account runs copy jobs too (copies back into a rebuilt account): its role.
    found: dict[str, dict[str, Any]] = {address(section["account"], "role"): dict(role)}
    backup_id = account_ref(section["account"], ids)
    policy = canonical(restore_policy(backup_id))
    for account in section["accounts"]:
        found[address(account, "role")] = dict(role)
        key = canonical(source_key_policy(account_ref(account, ids), backup_id))
        for region in section["regions"]:
            found[address(account, "key", region)] = {
                "alias": f"alias/{section['source_key_alias']}",
                "policy": key,
                "rotation": True,
                "region": region,
            }
            found[address(account, "vault", region)] = {
                "name": section["local_vault"],
                "policy": policy,
                "region": region,
            }
    return found
