"""The service role and the local vaults of every account ``backup:`` covers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import COPY_INTO, PRINCIPAL, SECTION, SERVICE_POLICIES
from orgstack.model.kind import resource_address
from orgstack.plan.resources import account_ref, canonical

PREFIX = "backup-account"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": PRINCIPAL}, "Action": "sts:AssumeRole"}
    ],
}


def address(account: str, *rest: str) -> str:
    return resource_address(PREFIX, account, *rest)


def restore_policy(backup_account_id: str) -> dict[str, Any]:
    """A local vault takes copies back from the backup account (the restore drill)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CopiesBackFromTheBackupAccount",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{backup_account_id}:root"},
                "Action": COPY_INTO,
                "Resource": "*",
            }
        ],
    }


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
    policy = canonical(restore_policy(account_ref(section["account"], ids)))
    for account in section["accounts"]:
        found[address(account, "role")] = dict(role)
        for region in section["regions"]:
            found[address(account, "vault", region)] = {
                "name": section["local_vault"],
                "policy": policy,
                "region": region,
            }
    return found
