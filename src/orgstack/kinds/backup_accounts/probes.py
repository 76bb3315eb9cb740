"""What ``backup status`` and the audit ask of a workload account beyond the plan's read:
whether its backup role and local vault exist, and which of its recovery points cannot be
copied to the backup account (and why)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from orgstack.aws.errors import AwsError
from orgstack.model.backup import keeps_own_key, shares_key

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients


def role_exists(aws: AwsContext, clients: AccountClients, account_id: str, name: str) -> bool:
    """Whether the account has the role backup jobs run as (``backup status``, audit).

    IAM actions: iam:GetRole
    """
    try:
        aws.call(clients.client(account_id, "iam"), "get_role", RoleName=name)
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return False
        raise
    return True


def vault_exists(
    aws: AwsContext, clients: AccountClients, account_id: str, region: str, name: str
) -> bool:
    """Whether the account has its local vault in the Region.

    IAM actions: backup:DescribeBackupVault
    """
    client = clients.client(account_id, "backup", region)
    try:
        aws.call(client, "describe_backup_vault", BackupVaultName=name)
    except AwsError as exc:
        if exc.code in ("ResourceNotFoundException", "AccessDeniedException"):
            return False
        raise
    return True


def _keys_of(aws: AwsContext, ec2: Any, rds: Any, arns: list[str]) -> dict[str, str | None]:
    """Resource ARN → the key id that encrypts it (None: not encrypted), for the resources
    whose backups keep their own encryption."""
    by_kind: dict[str, list[str]] = {}
    for arn in arns:
        by_kind.setdefault(arn.split(":")[5].split("/")[0], []).append(arn)
    found: dict[str, str | None] = {}
    tail = {arn: arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for arn in arns}
    instances = {tail[a]: a for a in by_kind.get("instance", [])}
    volumes_of: dict[str, list[str]] = {}
    if instances:
        answer = aws.call(ec2, "describe_instances", InstanceIds=sorted(instances))
        for reservation in answer.get("Reservations", []):
            for instance in reservation.get("Instances", []):
                volumes_of[instance["InstanceId"]] = [
                    m["Ebs"]["VolumeId"]
                    for m in instance.get("BlockDeviceMappings", [])
                    if "Ebs" in m
                ]
    wanted = {tail[a] for a in by_kind.get("volume", [])} | {
        v for vs in volumes_of.values() for v in vs
    }
    volumes = {}
    if wanted:
        for volume in aws.call(ec2, "describe_volumes", VolumeIds=sorted(wanted))["Volumes"]:
            volumes[volume["VolumeId"]] = (
                volume.get("KmsKeyId") if volume.get("Encrypted") else None
            )
    for arn in by_kind.get("volume", []):
        found[arn] = volumes.get(tail[arn])
    for name, arn in instances.items():
        keys = [volumes.get(v) for v in volumes_of.get(name, [])]
        found[arn] = next((k for k in keys if k), None)
    for kind, operation, key, filter_name in (
        ("db", "describe_db_instances", "DBInstances", "db-instance-id"),
        ("cluster", "describe_db_clusters", "DBClusters", "db-cluster-id"),
    ):
        names = {tail[a]: a for a in by_kind.get(kind, [])}
        if not names:
            continue
        filters = [{"Name": filter_name, "Values": sorted(names)}]
        for item in aws.call(rds, operation, Filters=filters).get(key, []):
            ident = item.get("DBInstanceIdentifier") or item.get("DBClusterIdentifier")
            if ident in names:
                found[names[ident]] = item.get("KmsKeyId") if item.get("StorageEncrypted") else None
    return found


def unshareable(
    aws: AwsContext,
    clients: AccountClients,
    account_id: str,
    region: str,
    arns: list[str],
    backup_id: str,
) -> list[dict[str, str]]:
    """Of the account's tagged resources in the Region, those whose backups keep their own
    encryption and cannot be copied into the backup account: encrypted with an AWS managed key
    (``aws/ebs``, ``aws/rds``: AWS does not share them) or with a customer managed key whose
    policy does not share it with the backup account. Each: resource, key, why.

    IAM actions: ec2:DescribeVolumes, ec2:DescribeInstances, rds:DescribeDBInstances,
    rds:DescribeDBClusters, kms:DescribeKey, kms:GetKeyPolicy
    """
    mine = [a for a in arns if keeps_own_key(a)]
    if not mine:
        return []
    ec2 = clients.client(account_id, "ec2", region)
    rds = clients.client(account_id, "rds", region)
    kms = clients.client(account_id, "kms", region)
    verdicts: dict[str, str | None] = {}
    found = []
    for arn, key in sorted(_keys_of(aws, ec2, rds, mine).items()):
        if key is None:
            continue
        if key not in verdicts:
            verdicts[key] = _key_verdict(aws, kms, key, backup_id)
        if verdicts[key] is not None:
            found.append({"resource": arn, "key": key, "why": str(verdicts[key])})
    return found


def _key_verdict(aws: AwsContext, kms: Any, key: str, backup_id: str) -> str | None:
    """Why no copy can leave with this key (None: one can)."""
    try:
        meta = aws.call(kms, "describe_key", KeyId=key)["KeyMetadata"]
    except AwsError as exc:
        if exc.code in ("NotFoundException", "AccessDeniedException"):
            return None  # not this account's to judge (another account's key)
        raise
    if meta.get("KeyManager") == "AWS":
        return "encrypted with an AWS managed key, which AWS never shares with another account"
    policy = aws.call(kms, "get_key_policy", KeyId=meta["KeyId"], PolicyName="default")
    if shares_key(json.loads(policy.get("Policy") or "{}"), backup_id):
        return None
    return f"the key's policy does not share it with the backup account {backup_id}"
