"""The service role, the source keys and the local vaults of every account ``backup:``
covers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import COPY_INTO, PRINCIPAL, SECTION, SERVICE_POLICIES
from orgstack.model.kind import resource_address
from orgstack.model.policydoc import key_administration
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


#: What the backup account may do with a covered account's source key: AWS Backup in the
#: backup account reads the recovery point (a snapshot encrypted with it) as it copies it.
SOURCE_KEY_SHARE = [
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
]


def source_key_policy(account_id: str, backup_account_id: str) -> dict[str, Any]:
    """The account administers its source key; the backup account may use it for copies (AWS
    Backup: "if your resources are encrypted with a customer managed key, you must share this
    customer managed key with the destination account")."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            key_administration(account_id),
            {
                "Sid": "BackupAccountCopies",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{backup_account_id}:root"},
                "Action": list(SOURCE_KEY_SHARE),
                "Resource": "*",
            },
        ],
    }


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
