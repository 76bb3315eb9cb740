"""Read the organization trail in the management account: DescribeTrails by name and
GetTrailStatus. AWS shows a trail's key as the key's ARN; it is read back as the alias ARN the
spec names when the log archive's alias points at that key.

IAM actions: cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus, kms:DescribeKey
"""

from __future__ import annotations

from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.org_trail.vocabulary import address
from orgstack.model.kind import Live, ReadRequest, account_of, in_account


def _alias_arn(ctx: ReadContext, key: str | None, alias: str) -> str | None:
    """``alias`` (an alias ARN) when ``key`` is the key it points at, else ``key``."""
    if key is None or key == alias:
        return key
    _, _, _, region, account_id, resource = (alias.split(":", 5) + [""] * 6)[:6]
    if not account_id.isdigit():  # the log archive does not exist yet
        return key
    try:
        found = ctx.call(ctx.member(account_id, "kms", region), "describe_key", KeyId=resource)
    except AwsError as exc:
        if exc.code == "NotFoundException":
            return key
        raise
    return alias if found["KeyMetadata"]["Arn"] == key else key


def _trail(ctx: ReadContext, name: str, region: str | None) -> dict[str, Any] | None:
    client = ctx.client("cloudtrail", region)
    trails = ctx.call(client, "describe_trails", trailNameList=[name], includeShadowTrails=False)
    found = next((t for t in trails.get("trailList", []) if t.get("Name") == name), None)
    if found is None:
        return None
    status = ctx.call(client, "get_trail_status", Name=name)
    return {
        "bucket": found.get("S3BucketName"),
        "kms_key": found.get("KmsKeyId"),
        "organization": bool(found.get("IsOrganizationTrail")),
        "multi_region": bool(found.get("IsMultiRegionTrail")),
        "global_events": bool(found.get("IncludeGlobalServiceEvents")),
        "log_file_validation": bool(found.get("LogFileValidationEnabled")),
        "logging": bool(status.get("IsLogging")),
        "region": region,
    }


def _wanted(request: ReadRequest) -> dict[str, Any] | None:
    """The trail to read: the one the targets name (the spec's, or the plan's change's)."""
    for where, value in request.targets.items():
        return {
            "management": account_of(where),
            "name": in_account(where),
            "region": value.get("region"),
            "kms_key": value.get("kms_key") or "",
        }
    return None


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    wanted = _wanted(request)
    if wanted is None:
        return live
    management, name, region = wanted["management"], wanted["name"], wanted["region"]
    if request.only is not None and management not in request.only:
        return live
    value = _trail(ctx, name, region)
    if value is not None:
        value["kms_key"] = _alias_arn(ctx, value["kms_key"], wanted["kms_key"])
        live.resources[address(management, name)] = value
        live.managed.add(address(management, name))
    return live
