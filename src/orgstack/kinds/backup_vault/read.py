"""Read the central vaults (in the backup account, through the access role) and the
cross-account setting (in the management account), every Region concurrently: each key by its
alias, each vault's key, lock and access policy.

A compliance lock reads back with the grace the spec declares (AWS reports only the date the
lock became or becomes immutable); a lock past that date that differs from the spec is a
pre-flight error, as AWS would refuse to change it.

IAM actions: sts:AssumeRole, backup:DescribeGlobalSettings, backup:DescribeBackupVault,
backup:GetBackupVaultAccessPolicy, kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from orgstack.aws.reading import ReadContext
from orgstack.model.kind import Live, ReadRequest, in_account
from orgstack.plan.resources import canonical

if TYPE_CHECKING:
    pass


def _settings(ctx: ReadContext, region: str) -> dict[str, Any] | None:
    found = ctx.call(ctx.client("backup", region), "describe_global_settings")
    enabled = (found.get("GlobalSettings") or {}).get("isCrossAccountBackupEnabled")
    # Off reads as absent: AWS always answers, so "on" is the resource orgstack makes.
    return {"cross_account_backup": True, "region": region} if str(enabled) == "true" else None


def _key(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    found = ctx.key(ctx.member(account_id, "kms", want["region"]), want["alias"])
    if found is None:
        return None
    return {**found, "policy": canonical(found["policy"]), "region": want["region"]}


def _lock(vault: dict[str, Any], want: dict[str, Any]) -> tuple[dict[str, Any] | None, bool]:
    """The lock as the spec writes it, and whether it can no longer change."""
    if not vault.get("Locked"):
        return None, False
    lock_date = vault.get("LockDate")
    if isinstance(lock_date, (int, float)):
        lock_date = datetime.fromtimestamp(lock_date, UTC)
    wanted = want.get("lock") or {}
    return {
        "min_retention_days": vault.get("MinRetentionDays"),
        "max_retention_days": vault.get("MaxRetentionDays"),
        # compliance mode (a lock date): the grace is the spec's; governance mode: none
        "grace_days": wanted.get("grace_days") if lock_date is not None else None,
    }, lock_date is not None and lock_date <= datetime.now(UTC)


def _vault(
    ctx: ReadContext, account_id: str, want: dict[str, Any], where: str, live: Live
) -> dict[str, Any] | None:
    client = ctx.member(account_id, "backup", want["region"])
    vault = ctx.absent(client, "describe_backup_vault", BackupVaultName=want["name"])
    if vault is None:
        return None
    policy = ctx.absent(client, "get_backup_vault_access_policy", BackupVaultName=want["name"])
    key = vault.get("EncryptionKeyArn")
    kms = ctx.member(account_id, "kms", want["region"])
    ours = ctx.absent(kms, "describe_key", KeyId=want["key"]) if want.get("key") else None
    if ours is not None and key == ours["KeyMetadata"]["Arn"]:
        key = want["key"]  # AWS shows the key's ARN; the spec names it by its alias
    lock, immutable = _lock(vault, want)
    if immutable and lock != want.get("lock"):
        live.problems.append(
            (
                f"{where}: the vault's lock is immutable since its grace period ended "
                f"({lock}); AWS refuses to change it",
                "Set backup.lock back to what the vault has, plan and apply again.",
            )
        )
    return {
        "name": want["name"],
        "key": key,
        "policy": canonical(json.loads(policy["Policy"])) if policy else None,
        "lock": lock,
        "region": want["region"],
    }


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, (account_id, want) in request.readable().items():
            part = in_account(where).split("/")[-1]
            if part == "settings":
                if request.live is not None:  # no organization yet: nothing is set
                    futures[where] = pool.submit(_settings, ctx, want["region"])
            elif part == "key":
                futures[where] = pool.submit(_key, ctx, account_id, want)
            else:
                futures[where] = pool.submit(_vault, ctx, account_id, want, where, live)
        for where, future in futures.items():
            live.found(where, future.result())
    return live
