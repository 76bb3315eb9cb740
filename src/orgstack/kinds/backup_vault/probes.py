"""What ``backup status`` and the audit ask of the vaults beyond the plan's read: the copies
in the central vault, and each account's tagged resources and failed copy jobs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients


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
