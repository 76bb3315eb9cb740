"""Read the log archive in the log-archive account (through the access role): the key by its
alias, each bucket's versioning, lock, encryption, public access block, policy, lifecycle and
logging (AWS Config's bucket: all but the lock). A bucket that does not exist (or is not this
account's) reads as absent.

IAM actions: sts:AssumeRole, kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus,
s3:GetBucketVersioning, s3:GetBucketObjectLockConfiguration, s3:GetEncryptionConfiguration,
s3:GetBucketPublicAccessBlock, s3:GetBucketPolicy, s3:GetLifecycleConfiguration,
s3:GetBucketLogging
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.log_archive.vocabulary import LIFECYCLE_RULE, address
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.resources import canonical


def _key(ctx: ReadContext, kms: Any, alias: str) -> dict[str, Any] | None:
    found = ctx.key(kms, alias)
    return None if found is None else {**found, "policy": canonical(found["policy"])}


def _lifecycle(ctx: ReadContext, s3: Any, name: str) -> dict[str, Any] | None:
    life = ctx.absent(s3, "get_bucket_lifecycle_configuration", Bucket=name) or {}
    rule = next((r for r in life.get("Rules", []) if r.get("ID") == LIFECYCLE_RULE), None)
    if not rule or rule.get("Status") != "Enabled":
        return None
    return {
        "archive_after_days": (rule.get("Transitions") or [{}])[0].get("Days"),
        "expire_after_days": (rule.get("Expiration") or {}).get("Days"),
        "noncurrent_expire_after_days": (rule.get("NoncurrentVersionExpiration") or {}).get(
            "NoncurrentDays"
        ),
    }


def _logging(ctx: ReadContext, s3: Any, name: str) -> dict[str, Any] | None:
    logging = (ctx.absent(s3, "get_bucket_logging", Bucket=name) or {}).get("LoggingEnabled")
    if not logging:
        return None
    return {"target": logging.get("TargetBucket"), "prefix": logging.get("TargetPrefix")}


#: The buckets the kind makes, by the part of their address.
PARTS = ("bucket", "access-logs", "config-bucket")

#: What each part's reader reads beyond the settings every bucket has.
EXTRAS = {"bucket": ("lock", "lifecycle", "logging"), "config-bucket": ("lifecycle", "logging")}


def _bucket(ctx: ReadContext, s3: Any, name: str, extras: tuple[str, ...]) -> dict[str, Any] | None:
    versioning = ctx.absent(s3, "get_bucket_versioning", Bucket=name)
    if versioning is None:
        return None
    value: dict[str, Any] = {"name": name, "versioning": versioning.get("Status")}
    rules = (
        (ctx.absent(s3, "get_bucket_encryption", Bucket=name) or {})
        .get("ServerSideEncryptionConfiguration", {})
        .get("Rules", [])
    )
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    value["encryption"] = (
        {"algorithm": default.get("SSEAlgorithm"), "key": default.get("KMSMasterKeyID")}
        if default
        else None
    )
    block = ctx.absent(s3, "get_public_access_block", Bucket=name)
    value["public_access_block"] = (block or {}).get("PublicAccessBlockConfiguration")
    policy = ctx.absent(s3, "get_bucket_policy", Bucket=name)
    value["policy"] = canonical(json.loads(policy["Policy"])) if policy else None
    if "lock" in extras:
        lock = (ctx.absent(s3, "get_object_lock_configuration", Bucket=name) or {}).get(
            "ObjectLockConfiguration", {}
        )
        retention = lock.get("Rule", {}).get("DefaultRetention", {})
        days = retention.get("Days") or (retention.get("Years") or 0) * 365 or None
        value["object_lock"] = (
            {"mode": retention.get("Mode"), "days": days}
            if lock.get("ObjectLockEnabled") == "Enabled" and retention
            else None
        )
    if "lifecycle" in extras:
        value["lifecycle"] = _lifecycle(ctx, s3, name)
    if "logging" in extras:
        value["logging"] = _logging(ctx, s3, name)
    return value


def _targets(request: ReadRequest) -> tuple[str, str, dict[str, str], str, str | None] | None:
    """(account, account id, bucket name by part, key alias, Region) to read: what the targets
    name (the stale check may not know every name: it reads what it knows)."""
    if not request.targets:
        return None
    account = account_of(next(iter(request.targets)))
    account_id = request.account_id(account)
    if account_id is None:
        return None
    parts = {in_account(where): value for where, value in request.targets.items()}
    buckets = {p: str(parts.get(p, {}).get("name") or "") for p in PARTS}
    region = next((v["region"] for v in parts.values() if v.get("region")), None)
    alias = str(parts.get("key", {}).get("alias") or "")
    return account, account_id, buckets, alias or "alias/", region


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    targets = _targets(request)
    if targets is None:
        return live
    account, account_id, buckets, alias, region = targets
    kms = ctx.member(account_id, "kms", region)
    s3 = ctx.member(account_id, "s3", region)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures: dict[str, Any] = {}
        if alias != "alias/":
            futures["key"] = pool.submit(_key, ctx, kms, alias)
        for part, name in buckets.items():
            if name:
                futures[part] = pool.submit(_bucket, ctx, s3, name, EXTRAS.get(part, ()))
        for part, future in futures.items():
            value = future.result()
            if value is not None:
                live.resources[address(account, part)] = {**value, "region": region}
                live.managed.add(address(account, part))
    return live
