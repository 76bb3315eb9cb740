"""``orgstack import``: the ``logging:`` section the live organization implies — the
organization trail in the management account (home Region), the account whose bucket it
writes into (told by the account id in the bucket's name), the bucket's Object Lock retention
and lifecycle, the key's alias and the role its policy exempts. A trail into a bucket without
Object Lock in compliance mode is not orgstack's archive (Object Lock cannot be added to a
bucket with objects): it is listed as not imported, with why.

IAM actions: cloudtrail:DescribeTrails, sts:AssumeRole, s3:GetObjectLockConfiguration,
s3:GetBucketLifecycleConfiguration, s3:GetBucketPolicy
"""

from __future__ import annotations

import json
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.log_archive.schema import LoggingSpec
from orgstack.kinds.log_archive.vocabulary import LIFECYCLE_RULE
from orgstack.model.kind import Discovered, DiscoverRequest
from orgstack.model.logs import config_bucket_default

DEFAULTS = LoggingSpec()


def _trail(ctx: ReadContext, region: str) -> dict[str, Any] | None:
    client = ctx.client("cloudtrail", region)
    trails = ctx.call(client, "describe_trails", includeShadowTrails=False).get("trailList", [])
    return next((t for t in trails if t.get("IsOrganizationTrail")), None)


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    trail = _trail(ctx, request.home_region)
    if trail is None:
        return Discovered()
    bucket, name = str(trail.get("S3BucketName") or ""), str(trail["Name"])
    names = request.names()
    account_id = next((i for i in names if i in bucket), None)
    if account_id is None:
        return Discovered(notes=[
            f"logging: the organization trail {name} writes into bucket {bucket}, of no "
            "account the bucket's name tells; write logging: by hand"
        ])  # fmt: skip
    s3 = ctx.member(account_id, "s3", request.home_region)
    lock = (ctx.absent(s3, "get_object_lock_configuration", Bucket=bucket) or {}).get(
        "ObjectLockConfiguration", {}
    )
    retention = lock.get("Rule", {}).get("DefaultRetention", {})
    days = retention.get("Days") or (retention.get("Years") or 0) * 365
    if lock.get("ObjectLockEnabled") != "Enabled" or retention.get("Mode") != "COMPLIANCE":
        return Discovered(notes=[
            f"logging: the organization trail {name} writes into {bucket}, which has no "
            "Object Lock in compliance mode (orgstack's log archive locks every log; Object "
            "Lock cannot be added to a bucket that has objects)"
        ])  # fmt: skip
    section: dict[str, Any] = {"account": names[account_id], "bucket": bucket}
    section["retention_days"] = days
    section |= _lifecycle(ctx, s3, bucket)
    role = _exempt_role(ctx, s3, bucket)
    if role and role != DEFAULTS.break_glass_role:
        section["break_glass_role"] = role
    if name != DEFAULTS.trail_name:
        section["trail_name"] = name
    alias = str(trail.get("KmsKeyId") or "").partition(":alias/")[2]
    if alias and alias != DEFAULTS.key_alias:
        section["key_alias"] = alias
    config = _config_bucket(ctx, request.home_region)
    if config and config != config_bucket_default(bucket):
        section["config_bucket"] = config
    return Discovered(section)


def _lifecycle(ctx: ReadContext, s3: Any, bucket: str) -> dict[str, Any]:
    life = ctx.absent(s3, "get_bucket_lifecycle_configuration", Bucket=bucket) or {}
    rule = next((r for r in life.get("Rules", []) if r.get("ID") == LIFECYCLE_RULE), None)
    if not rule:
        return {}
    found: dict[str, Any] = {}
    archive = (rule.get("Transitions") or [{}])[0].get("Days")
    if archive:
        found["archive_after_days"] = archive
    expire = (rule.get("Expiration") or {}).get("Days")
    if expire:
        found["expire_after_days"] = expire
    return found


def _exempt_role(ctx: ReadContext, s3: Any, bucket: str) -> str | None:
    """The role the bucket policy lets delete logs (``OnlyBreakGlassDeletes``)."""
    found = ctx.absent(s3, "get_bucket_policy", Bucket=bucket)
    if found is None:
        return None
    for statement in json.loads(found["Policy"]).get("Statement", []):
        if statement.get("Sid") == "OnlyBreakGlassDeletes":
            arns = statement.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
            arn = arns[0] if isinstance(arns, list) else arns
            return str(arn).rsplit(":role/", 1)[-1] if arn else None
    return None


def _config_bucket(ctx: ReadContext, region: str) -> str | None:
    """Where the management account's Config recorder delivers (the archive's Config bucket
    when orgstack made it)."""
    client = ctx.client("config", region)
    channels = ctx.call(client, "describe_delivery_channels").get("DeliveryChannels", [])
    return str(channels[0]["s3BucketName"]) if channels else None
