"""Make the central vaults: cross-account backup in the management account, each Region's
key, then the vault with its access policy and lock. Every step is idempotent: a resumed apply
finds the key by its alias and the vault by its name, and sets each setting again."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.kms import ensure_key, key_id
from orgstack.aws.errors import AwsError
from orgstack.model.kind import account_of
from orgstack.plan.model import Change

#: What AWS Backup answers while trusted access made moments ago propagates.
TRUST_PROPAGATING = frozenset({"InvalidRequestException", "AccessDeniedException"})


def settings(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Cross-account backup on, in the management account (copies into the backup account
    need it).

    IAM actions: backup:UpdateGlobalSettings, organizations:DescribeOrganization
    """
    after = change.after or {}
    client = ctx.aws.client("backup", after["region"])
    enabled = "true" if after["cross_account_backup"] else "false"
    ctx.propagated(
        TRUST_PROPAGATING,
        lambda: ctx.aws.call(
            client,
            "update_global_settings",
            GlobalSettings={"isCrossAccountBackupEnabled": enabled},
        ),
    )
    ctx.checkpoint(index, "called")
    return {}


def key(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The Region's vault key, usable by the organization's accounts through AWS Backup.

    IAM actions: kms:CreateKey, kms:CreateAlias, kms:DescribeKey, kms:PutKeyPolicy,
    kms:EnableKeyRotation, kms:TagResource, kms:ListKeys, kms:ListAliases,
    kms:ListResourceTags, kms:EnableKey
    """
    after = ctx.resolved(change.after or {})
    kms = ctx.member_client(account_of(change.address), "kms", after["region"])
    ensure_key(
        ctx,
        kms,
        index,
        after,
        "orgstack backup: the central vault's copies",
        "backup",
        change.address,
    )
    ctx.checkpoint(index, "called")
    return {}


def _create(ctx: ExecContext, change: Change, after: dict[str, Any], client: Any) -> None:
    kms = ctx.member_client(account_of(change.address), "kms", after["region"])
    found = key_id(ctx, kms, after["key"])
    if found is None:
        raise ApplyError(
            f"{change.address}: the key {after['key']} is not there",
            "Apply the plan again: the key is made before the vault.",
        )
    arn = ctx.aws.call(kms, "describe_key", KeyId=found)["KeyMetadata"]["Arn"]
    try:
        ctx.aws.call(
            client,
            "create_backup_vault",
            BackupVaultName=after["name"],
            EncryptionKeyArn=arn,
            BackupVaultTags={"orgstack:purpose": "backup"},
        )
    except AwsError as exc:
        if exc.code != "AlreadyExistsException":
            raise


def vault(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The central vault: created with the key (once), then its access policy and its lock in
    compliance mode (after ``grace_days`` no one can remove it).

    IAM actions: backup:CreateBackupVault, backup:TagResource, backup-storage:MountCapsule,
    kms:DescribeKey, kms:CreateGrant, backup:PutBackupVaultAccessPolicy,
    backup:PutBackupVaultLockConfiguration
    """
    after = ctx.resolved(change.after or {})
    before = change.before
    client = ctx.member_client(account_of(change.address), "backup", after["region"])
    if before is None:
        _create(ctx, change, after, client)
        ctx.checkpoint(index, "created")
    elif "name" in before or "key" in before:
        raise ApplyError(
            f"{change.address}: a vault's name and key cannot change "
            f"({before.get('name', after['name'])}, {before.get('key', after['key'])})",
            "Keep backup.vault and backup.key_alias as they were, plan and apply again.",
        )
    if before is None or "policy" in before:
        ctx.aws.call(
            client,
            "put_backup_vault_access_policy",
            BackupVaultName=after["name"],
            Policy=json.dumps(after["policy"], separators=(",", ":")),
        )
    if before is None or "lock" in before:
        lock = after["lock"]
        ctx.aws.call(
            client,
            "put_backup_vault_lock_configuration",
            BackupVaultName=after["name"],
            MinRetentionDays=lock["min_retention_days"],
            MaxRetentionDays=lock["max_retention_days"],
            ChangeableForDays=lock["grace_days"],
        )
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {
    ("settings", "create"): settings,
    ("settings", "update"): settings,
    ("key", "create"): key,
    ("key", "update"): key,
    ("vault", "create"): vault,
    ("vault", "update"): vault,
}
#: The vault is encrypted with its Region's key: the key first.
WAITS_FOR = {"vault": ("key",)}
