"""The service role and the local vaults of every account ``backup:`` covers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import PRINCIPAL, SECTION, SERVICE_POLICIES
from orgstack.model.kind import resource_address
from orgstack.plan.resources import canonical

PREFIX = "backup-account"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": PRINCIPAL}, "Action": "sts:AssumeRole"}
    ],
}


def address(account: str, *rest: str) -> str:
    return resource_address(PREFIX, account, *rest)


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for account in section["accounts"]:
        found[address(account, "role")] = {
            "name": section["service_role"],
            "trust": canonical(TRUST),
            "policies": sorted(SERVICE_POLICIES),
        }
        for region in section["regions"]:
            found[address(account, "vault", region)] = {
                "name": section["local_vault"],
                "region": region,
            }
    return found
