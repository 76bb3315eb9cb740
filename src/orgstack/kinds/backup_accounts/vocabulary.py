"""The service role, the source keys and the local vaults of every account ``backup:``
covers."""

from __future__ import annotations

from typing import Any

from orgstack.model.backup import COPY_INTO, PRINCIPAL
from orgstack.model.kind import resource_address
from orgstack.model.policydoc import key_administration

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
