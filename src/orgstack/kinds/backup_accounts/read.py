"""Read the service role, source keys and local vaults (with their access policy) of every
covered account (through the access role; the management account directly), all concurrently.

IAM actions: sts:AssumeRole, iam:GetRole, iam:ListAttachedRolePolicies,
backup:DescribeBackupVault, backup:GetBackupVaultAccessPolicy, kms:DescribeKey,
kms:GetKeyPolicy, kms:GetKeyRotationStatus
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.backup_accounts.desired import PREFIX, desired
from orgstack.model.backup import keeps_own_key, shares_key
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.model import Plan
from orgstack.plan.resources import canonical

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients


def _role(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    iam = ctx.member(account_id)
    try:
        role = ctx.call(iam, "get_role", RoleName=want["name"])["Role"]
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return None
        raise
    trust = role.get("AssumeRolePolicyDocument") or {}
    if isinstance(trust, str):
        trust = json.loads(unquote(trust))
    attached = ctx.page_list(iam, "list_attached_role_policies", RoleName=want["name"])
    return {
        "name": want["name"],
        "trust": canonical(trust),
        "policies": sorted(
            p["PolicyArn"] for page in attached for p in page.get("AttachedPolicies", [])
        ),
    }


def _vault(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    client = ctx.member(account_id, "backup", want["region"])
    try:
        ctx.call(client, "describe_backup_vault", BackupVaultName=want["name"])
    except AwsError as exc:
        if exc.code == "ResourceNotFoundException":
            return None
        raise
    try:
        found = ctx.call(client, "get_backup_vault_access_policy", BackupVaultName=want["name"])
        policy = canonical(json.loads(found["Policy"]))
    except AwsError as exc:
        if exc.code != "ResourceNotFoundException":
            raise
        policy = None
    return {"name": want["name"], "policy": policy, "region": want["region"]}


def _key(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    found = ctx.key(ctx.member(account_id, "kms", want["region"]), want["alias"])
    if found is None:
        return None
    return {**found, "policy": canonical(found["policy"]), "region": want["region"]}


READERS = {"role": _role, "key": _key, "vault": _vault}


def _wanted(request: ReadRequest) -> dict[str, dict[str, Any]]:
    if request.model is not None:
        return desired(request.model, request.ids)
    return dict((request.section or {}).get("plan", {}))


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, want in _wanted(request).items():
            account = account_of(where)
            account_id = request.accounts.get(account)
            if account_id is None or (request.only is not None and account not in request.only):
                continue
            reader = READERS[in_account(where).split("/")[0]]
            futures[where] = pool.submit(reader, ctx, account_id, want)
        for where, future in futures.items():
            live.found(where, future.result())
    return live


def section_from_plan(plan: Plan) -> dict[str, Any]:
    """The stale check reads what the plan's changes name."""
    return {
        "plan": {
            c.address: c.after or c.before or {}
            for c in plan.changes
            if c.address.startswith(PREFIX + ":")
        }
    }


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
