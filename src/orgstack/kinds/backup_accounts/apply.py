"""Make each covered account ready for the backup policy: the service role, then the local
vault per Region (AWS Backup's own key). Idempotent: a resumed apply finds both by name."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.apply.kms import ensure_key
from orgstack.aws.errors import AwsError
from orgstack.model.kind import account_of
from orgstack.plan.model import Change


def role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The role AWS Backup runs the policy's jobs as: created (once), its trust set, AWS's
    backup and restore policies attached.

    IAM actions: iam:CreateRole, iam:UpdateAssumeRolePolicy, iam:AttachRolePolicy,
    iam:TagRole
    """
    after = change.after or {}
    iam = ctx.member_client(account_of(change.address), "iam")
    trust = json.dumps(after["trust"], separators=(",", ":"))
    if change.before is None:
        try:
            ctx.aws.call(
                iam,
                "create_role",
                RoleName=after["name"],
                AssumeRolePolicyDocument=trust,
                Description="orgstack: AWS Backup runs the organization backup policy as this role",
                Tags=[{"Key": "orgstack:purpose", "Value": "backup"}],
            )
        except AwsError as exc:
            if exc.code != "EntityAlreadyExists":
                raise
        ctx.checkpoint(index, "created")
    ctx.aws.call(iam, "update_assume_role_policy", RoleName=after["name"], PolicyDocument=trust)
    for arn in after["policies"]:
        ctx.aws.call(iam, "attach_role_policy", RoleName=after["name"], PolicyArn=arn)
    ctx.checkpoint(index, "called")
    return {}


def vault(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The account's own vault in a Region (backups land here, then are copied out), and its
    access policy: copies back from the backup account (the restore drill).

    IAM actions: backup:CreateBackupVault, backup:TagResource, backup-storage:MountCapsule,
    kms:CreateGrant, backup:PutBackupVaultAccessPolicy
    """
    after = ctx.resolved(change.after or {})
    client = ctx.member_client(account_of(change.address), "backup", after["region"])
    try:
        ctx.aws.call(
            client,
            "create_backup_vault",
            BackupVaultName=after["name"],
            BackupVaultTags={"orgstack:purpose": "backup"},
        )
    except AwsError as exc:
        if exc.code != "AlreadyExistsException":
            raise
    if after.get("policy") is not None:
        ctx.aws.call(
            client,
            "put_backup_vault_access_policy",
            BackupVaultName=after["name"],
            Policy=json.dumps(after["policy"], separators=(",", ":")),
        )
    ctx.checkpoint(index, "called")
    return {}


def key(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The account's source key in the Region, shared with the backup account: resources
    encrypted with it can be copied there (AWS managed keys cannot be shared).

    IAM actions: kms:CreateKey, kms:CreateAlias, kms:DescribeKey, kms:PutKeyPolicy,
    kms:EnableKeyRotation, kms:TagResource, kms:ListKeys, kms:ListAliases,
    kms:ListResourceTags, kms:EnableKey
    """
    after = ctx.resolved(change.after or {})
    kms = ctx.member_client(account_of(change.address), "kms", after["region"])
    description = "orgstack backup: encrypts data whose backups are copied to the backup account"
    ensure_key(ctx, kms, index, after, description, "backup-source", change.address)
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {
    ("role", "create"): role,
    ("role", "update"): role,
    ("key", "create"): key,
    ("key", "update"): key,
    ("vault", "create"): vault,
    ("vault", "update"): vault,
}
