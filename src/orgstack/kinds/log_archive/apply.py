"""Create and configure the log archive in the log-archive account (through the access role).
Every step is idempotent: a resumed apply finds the key by its alias and a bucket it owns
already, and sets each setting again."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.kms import ensure_key
from orgstack.aws.errors import AwsError
from orgstack.kinds.log_archive.vocabulary import LIFECYCLE_RULE
from orgstack.model.kind import account_of
from orgstack.plan.model import Change


def _clients(change: Change, ctx: ExecContext, service: str) -> Any:
    region = (change.after or {}).get("region")
    return ctx.member_client(account_of(change.address), service, region)


def key(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The archive's KMS key: created with its policy and alias (once), then the planned
    policy and yearly rotation set.

    IAM actions: kms:CreateKey, kms:CreateAlias, kms:DescribeKey, kms:PutKeyPolicy,
    kms:EnableKeyRotation, kms:TagResource, kms:ListKeys, kms:ListAliases,
    kms:ListResourceTags, kms:EnableKey
    """
    after = ctx.resolved(change.after or {})
    ensure_key(
        ctx,
        _clients(change, ctx, "kms"),
        index,
        after,
        "orgstack log archive: CloudTrail and Config logs of the organization",
        "log-archive",
        change.address,
    )
    ctx.checkpoint(index, "called")
    return {}


def _create_bucket(ctx: ExecContext, s3: Any, name: str, region: str, locked: bool) -> None:
    kwargs: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if locked:
        kwargs["ObjectLockEnabledForBucket"] = True
    try:
        ctx.aws.call(s3, "create_bucket", **kwargs)
    except AwsError as exc:
        if exc.code == "BucketAlreadyExists":
            raise ApplyError(
                f"the bucket name {name} is taken by another AWS account (bucket names are global)",
                "Set logging.bucket to another name, plan and apply again.",
            ) from None
        if exc.code != "BucketAlreadyOwnedByYou":
            raise


def _configure(ctx: ExecContext, s3: Any, after: dict[str, Any], only: set[str] | None) -> None:
    """Set the settings of ``after`` named in ``only`` (an update's differing keys), or all
    (a creation)."""
    name = after["name"]

    def changed(key: str) -> bool:
        return key in after and (only is None or key in only)

    if changed("public_access_block"):
        ctx.aws.call(
            s3,
            "put_public_access_block",
            Bucket=name,
            PublicAccessBlockConfiguration=after["public_access_block"],
        )
    if changed("versioning"):
        ctx.aws.call(
            s3,
            "put_bucket_versioning",
            Bucket=name,
            VersioningConfiguration={"Status": after["versioning"]},
        )
    if changed("encryption"):
        default: dict[str, Any] = {"SSEAlgorithm": after["encryption"]["algorithm"]}
        if after["encryption"]["key"]:
            default["KMSMasterKeyID"] = after["encryption"]["key"]
        rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": default}
        if after["encryption"]["key"]:
            rule["BucketKeyEnabled"] = True
        ctx.aws.call(
            s3,
            "put_bucket_encryption",
            Bucket=name,
            ServerSideEncryptionConfiguration={"Rules": [rule]},
        )
    if changed("object_lock"):
        lock = after["object_lock"]
        ctx.aws.call(
            s3,
            "put_object_lock_configuration",
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": lock["mode"], "Days": lock["days"]}},
            },
        )
    if changed("lifecycle"):
        life = after["lifecycle"]
        rule = {
            "ID": LIFECYCLE_RULE,
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Transitions": [{"Days": life["archive_after_days"], "StorageClass": "GLACIER_IR"}],
        }
        if life["expire_after_days"]:
            rule["Expiration"] = {"Days": life["expire_after_days"]}
        if life.get("noncurrent_expire_after_days"):
            # a versioned bucket keeps (and bills) every old version until a rule expires it
            rule["NoncurrentVersionExpiration"] = {
                "NoncurrentDays": life["noncurrent_expire_after_days"]
            }
        ctx.aws.call(
            s3,
            "put_bucket_lifecycle_configuration",
            Bucket=name,
            LifecycleConfiguration={"Rules": [rule]},
        )
    if changed("logging"):
        ctx.aws.call(
            s3,
            "put_bucket_logging",
            Bucket=name,
            BucketLoggingStatus={
                "LoggingEnabled": {
                    "TargetBucket": after["logging"]["target"],
                    "TargetPrefix": after["logging"]["prefix"],
                }
            },
        )
    if changed("policy"):  # last: it denies loosening the bucket to all but two roles
        ctx.aws.call(
            s3,
            "put_bucket_policy",
            Bucket=name,
            Policy=json.dumps(after["policy"], separators=(",", ":")),
        )


def bucket(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The log bucket, AWS Config's bucket or the access-log bucket: created (the log bucket
    with Object Lock, which S3 allows only at creation or on a versioned bucket), then every
    planned setting.

    IAM actions: s3:CreateBucket, s3:PutBucketPublicAccessBlock, s3:PutBucketVersioning,
    s3:PutEncryptionConfiguration, s3:PutBucketObjectLockConfiguration,
    s3:PutLifecycleConfiguration, s3:PutBucketLogging, s3:PutBucketPolicy
    """
    after = ctx.resolved(change.after or {})
    s3 = _clients(change, ctx, "s3")
    if change.before is None:
        _create_bucket(ctx, s3, after["name"], after["region"], "object_lock" in after)
        ctx.checkpoint(index, "created")
    elif "name" in change.before:
        raise ApplyError(
            f"{change.address}: a bucket cannot be renamed ({change.before['name']} → "
            f"{after['name']})",
            "Keep logging.bucket as it was, plan and apply again.",
        )
    _configure(ctx, s3, after, None if change.before is None else set(change.before))
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {
    ("key", "create"): key,
    ("key", "update"): key,
    ("access-logs", "create"): bucket,
    ("access-logs", "update"): bucket,
    ("bucket", "create"): bucket,
    ("bucket", "update"): bucket,
    ("config-bucket", "create"): bucket,
    ("config-bucket", "update"): bucket,
}
#: The log buckets encrypt with the key and log into the access-log bucket: both first.
WAITS_FOR = {"bucket": ("key", "access-logs"), "config-bucket": ("key", "access-logs")}
