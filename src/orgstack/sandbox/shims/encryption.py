"""The encryption AWS Backup keeps (part of the Backup shim, see ``backup.py``): the backups
of resources AWS Backup does not fully manage (EBS volumes, EC2 instances, RDS instances and
clusters, Aurora, DocumentDB and Neptune among them) keep the resource's own key, and copy
into another account only when that key is customer managed and its policy shares it with
the destination ("Encryption for a backup copy to a different account or AWS Region", AWS
Backup Developer Guide). moto's Backup has no jobs at all; its default EBS key is marked as
AWS does (``KeyManager: AWS``)."""

from __future__ import annotations

import json
from typing import Any

#: Resource types whose backups keep the resource's own encryption (not fully managed by AWS
#: Backup, "Feature availability by resource"): their copies need the source key shared.
KEEPS_SOURCE_KEY = ("volume", "instance", "db", "cluster")
AWS_MANAGED = "AWS"
#: moto's stand-in for an RDS resource encrypted with AWS's default key (aws/rds).
RDS_DEFAULT_KEY = "default_kms_key_id"


def _key_manager(account: str, region: str, key: str) -> tuple[str, str]:
    """(the key's ARN, who manages it: ``AWS`` or ``CUSTOMER``) of a key id, ARN or alias."""
    from moto.kms.models import kms_backends

    if key == RDS_DEFAULT_KEY:
        return f"arn:aws:kms:{region}:{account}:alias/aws/rds", AWS_MANAGED
    kms = kms_backends[account][region]
    try:
        found = kms.describe_key(key)
    except Exception:  # a key this account cannot see: judged as not shared
        return key, "CUSTOMER"
    aliases = list(found.aliases)
    aws = found.key_manager == AWS_MANAGED or any(a.startswith("alias/aws/") for a in aliases)
    return str(found.arn), AWS_MANAGED if aws else "CUSTOMER"


def source_encryption(resource: str) -> tuple[str | None, str] | None:
    """How a resource whose backups keep its own encryption is encrypted: (key ARN, manager),
    (None, "NONE") when it is not; None for a resource AWS Backup encrypts itself."""
    parts = resource.split(":")
    if len(parts) < 6 or parts[2] not in ("ec2", "rds"):
        return None
    region, account, kind = parts[3], parts[4], parts[5].split("/")[0]
    if kind not in KEEPS_SOURCE_KEY:
        return None
    key = _resource_key(account, region, kind, resource)
    return (None, "NONE") if key is None else _key_manager(account, region, key)


def _resource_key(account: str, region: str, kind: str, resource: str) -> str | None:
    """The key id that encrypts the resource (a volume, an instance's volumes, an RDS
    instance or cluster), or None."""
    from moto.ec2.models import ec2_backends
    from moto.rds.models import rds_backends

    if kind in ("volume", "instance"):
        ec2 = ec2_backends[account][region]
        name = resource.rsplit("/", 1)[-1]
        if kind == "volume":
            volumes = [ec2.get_volume(name)]
        else:
            mapping = ec2.get_instance(name).block_device_mapping
            volumes = [ec2.get_volume(d.volume_id) for d in mapping.values()]
        keys = [v.kms_key_id for v in volumes if v.encrypted and v.kms_key_id]
        managed = [k for k in keys if _key_manager(account, region, k)[1] == AWS_MANAGED]
        chosen = managed or keys
        return chosen[0] if chosen else None
    rds = rds_backends[account][region]
    name = resource.rsplit(":", maxsplit=1)[-1]
    found = rds.databases.get(name) if kind == "db" else rds.clusters.get(name)
    if found is None or not found.storage_encrypted:
        return None
    return str(found.kms_key_id or RDS_DEFAULT_KEY)


def copy_denied_by_key(point: dict[str, Any], destination: str) -> str | None:
    """Why a copy into the ``destination`` account fails on the point's own key, or None."""
    if point.get("SourceKeyManager") not in (AWS_MANAGED, "CUSTOMER"):
        return None
    key = point["EncryptionKeyArn"]
    if point["SourceKeyManager"] == AWS_MANAGED:
        return (
            f"Copy job failed because the source recovery point is encrypted with the AWS "
            f"managed key {key}, which cannot be shared with another account; encrypt the "
            "resource with a customer managed key shared with the destination account"
        )
    from moto.kms.models import kms_backends

    from orgstack.sandbox.shims.evaluation import Caller, Request, evaluate

    account, region = key.split(":")[4], key.split(":")[3]
    try:
        policy = json.loads(kms_backends[account][region].describe_key(key).policy or "{}")
    except Exception:
        policy = {}
    root = f"arn:aws:iam::{destination}:root"
    request = Request(Caller(root, destination, root), "kms:Decrypt", key)
    outcome = evaluate([policy], request, principals=True)
    if outcome.allowed and outcome.denied is None:
        return None
    return (
        f"Copy job failed because the destination account {destination} cannot use the KMS "
        f"key {key} of the source recovery point; share the key with it in its key policy"
    )


def aws_managed_default_keys() -> None:
    """moto makes the default EBS key (``alias/aws/ebs``) as a customer managed key; AWS
    manages it (DescribeKey answers ``KeyManager: AWS``)."""
    from moto.ec2.models.elastic_block_store import EBSBackend
    from moto.kms.models import kms_backends

    from orgstack.sandbox.shims.gaps import replace_method

    original = EBSBackend._create_default_encryption_key

    def create_default_encryption_key(self: Any) -> str:
        arn: str = original(self)
        kms = kms_backends[self.account_id][self.region_name]
        kms.describe_key(arn).key_manager = AWS_MANAGED
        return arn

    replace_method(EBSBackend, "_create_default_encryption_key", create_default_encryption_key)
