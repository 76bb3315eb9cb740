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
from orgstack.kinds.backup_vault.desired import PREFIX, desired
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.model import Plan
from orgstack.plan.resources import canonical

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients

ABSENT = frozenset({"ResourceNotFoundException", "NotFoundException"})


def _get(ctx: ReadContext, client: Any, operation: str, **kwargs: Any) -> dict[str, Any] | None:
    return ctx.absent(client, operation, ABSENT, **kwargs)


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
    vault = _get(ctx, client, "describe_backup_vault", BackupVaultName=want["name"])
    if vault is None:
        return None
    policy = _get(ctx, client, "get_backup_vault_access_policy", BackupVaultName=want["name"])
    key = vault.get("EncryptionKeyArn")
    kms = ctx.member(account_id, "kms", want["region"])
    ours = _get(ctx, kms, "describe_key", KeyId=want["key"]) if want.get("key") else None
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


def _wanted(request: ReadRequest) -> dict[str, dict[str, Any]]:
    """What to read: the spec's resources, or the stale check's (rebuilt from the plan)."""
    if request.model is not None:
        return desired(request.model, request.ids)
    return dict((request.section or {}).get("plan", {}))


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, want in _wanted(request).items():
            account, part = account_of(where), in_account(where).split("/")[-1]
            account_id = request.accounts.get(account)
            if account_id is None or (request.only is not None and account not in request.only):
                continue
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


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromtimestamp(float(value), UTC)


def central_copies(
    aws: AwsContext, clients: AccountClients, backup_id: str, vault: str, region: str
) -> dict[str, list[datetime]]:
    """Creation times of the central vault's copies, by the account they came from
    (``backup status``).

    IAM actions: backup:ListRecoveryPointsByBackupVault
    """
    found: dict[str, list[datetime]] = {}
    client = clients.client(backup_id, "backup", region)
    for point in aws.pages(
        client, "list_recovery_points_by_backup_vault", "RecoveryPoints", BackupVaultName=vault
    ):
        source = point.get("SourceBackupVaultArn") or ""
        account = source.split(":")[4] if source.count(":") > 4 else backup_id
        found.setdefault(account, []).append(_when(point["CreationDate"]))
    return found


def _failed(job: dict[str, Any], region: str, key: str) -> dict[str, Any]:
    return {
        "region": region,
        key: job.get("CopyJobId") or job.get("BackupJobId"),
        "resource": job.get("ResourceArn"),
        "created": _when(job["CreationDate"]).isoformat(),
        "message": job.get("StatusMessage", ""),
    }


def tagged_and_failed(
    aws: AwsContext,
    clients: AccountClients,
    account_id: str,
    region: str,
    tag: str,
    since: datetime,
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """(the ARNs of the resources tagged for backup, copy jobs and backup jobs that failed
    since ``since``) in one account and Region (``backup status``).

    IAM actions: tag:GetResources, backup:ListCopyJobs, backup:ListBackupJobs
    """
    tagging = clients.client(account_id, "resourcegroupstaggingapi", region)
    tagged = [
        r["ResourceARN"]
        for r in aws.pages(
            tagging, "get_resources", "ResourceTagMappingList", TagFilters=[{"Key": tag}]
        )
    ]
    backup = clients.client(account_id, "backup", region)
    copies = [
        _failed(job, region, "copy_job")
        for job in aws.pages(
            backup, "list_copy_jobs", "CopyJobs", ByState="FAILED", ByCreatedAfter=since
        )
    ]
    backups = [
        _failed(job, region, "backup_job")
        for job in aws.pages(
            backup, "list_backup_jobs", "BackupJobs", ByState="FAILED", ByCreatedAfter=since
        )
    ]
    return tagged, copies, backups


def section_from_plan(plan: Plan) -> dict[str, Any]:
    """The stale check reads what the plan's changes name (their values carry the names)."""
    return {
        "plan": {
            c.address: c.after or c.before or {}
            for c in plan.changes
            if c.address.startswith(PREFIX + ":")
        }
    }
