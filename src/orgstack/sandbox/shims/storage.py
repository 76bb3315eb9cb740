"""Shims for S3 behaviour the log archive relies on (each with a test and a line in the
shims' docstring)."""

from __future__ import annotations

import json
from typing import Any

from moto.s3 import models

from orgstack.sandbox.shims.gaps import _INSTALLED, replace_method

LOGGING_PRINCIPAL = "logging.s3.amazonaws.com"


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def logging_target_policies() -> None:
    """PutBucketLogging onto a bucket whose policy has a statement with ``"Principal": "*"``
    (a TLS-only deny, say): moto crashes reading it (``str`` has no ``get``); AWS reads any
    principal. The check is moto's — the target's policy must let the logging service put
    objects under the prefix — with principals in every form AWS allows."""
    backend = models.FakeBucket
    original = backend._log_permissions_enabled_policy
    if getattr(original, "orgstack_shim", False):
        return

    def allowed(target_bucket: Any, target_prefix: str | None) -> bool:
        if not target_bucket.policy:
            return False
        arn = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}"
        wanted = {f"{arn}/{target_prefix or ''}*", f"{arn}/*", arn}
        for statement in _listed(json.loads(target_bucket.policy.decode()).get("Statement", [])):
            principal = statement.get("Principal")
            services = _listed(principal.get("Service", [])) if isinstance(principal, dict) else []
            if LOGGING_PRINCIPAL not in services or statement.get("Effect") != "Allow":
                continue
            if "s3:PutObject" not in _listed(statement.get("Action", [])):
                continue
            if wanted & set(_listed(statement.get("Resource", []))):
                return True
        return False

    shim = staticmethod(allowed)
    allowed.orgstack_shim = True  # type: ignore[attr-defined]
    backend._log_permissions_enabled_policy = shim  # type: ignore[method-assign]

    def undo() -> None:
        backend._log_permissions_enabled_policy = staticmethod(original)  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def locked_buckets_stay_versioned() -> None:
    """Suspending versioning on a bucket with Object Lock: AWS refuses (InvalidBucketState,
    "An Object Lock configuration is present on this bucket, so the versioning state cannot be
    changed"); moto suspends it."""
    backend = models.S3Backend
    original = backend.put_bucket_versioning
    if getattr(original, "orgstack_shim", False):
        return
    from moto.s3.exceptions import InvalidBucketState

    def put(self: Any, bucket_name: str, status: str) -> None:
        if self.get_bucket(bucket_name).object_lock_enabled and status != "Enabled":
            raise InvalidBucketState(
                "An Object Lock configuration is present on this bucket, so the versioning "
                "state cannot be changed."
            )
        original(self, bucket_name, status)

    put.orgstack_shim = True  # type: ignore[attr-defined]
    backend.put_bucket_versioning = put  # type: ignore[method-assign]

    def undo() -> None:
        backend.put_bucket_versioning = original  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def config_delivery_needs_unlocked_bucket() -> None:
    """PutDeliveryChannel: AWS checks that AWS Config can write into the bucket as it saves the
    channel, and Config does not support a bucket with Object Lock (AWS::Config::DeliveryChannel,
    PutDeliveryChannel docs) — the channel is refused (InsufficientDeliveryPolicyException); a
    bucket that does not exist is refused too (NoSuchBucketException). moto saves any name."""
    from moto.config.models import ConfigBackend
    from moto.core.exceptions import JsonRESTError
    from moto.s3.models import s3_backends

    original = ConfigBackend.put_delivery_channel

    def put(self: Any, delivery_channel: dict[str, Any]) -> None:
        name = delivery_channel.get("s3BucketName")
        if name and self.recorders:
            where = s3_backends.bucket_accounts.get(name)
            if where is None:
                raise JsonRESTError(
                    "NoSuchBucketException", f"Cannot find a S3 bucket with the name {name}."
                )
            partition, account = where
            bucket = s3_backends[account][partition].buckets.get(name)
            if bucket is not None and bucket.object_lock_enabled:
                prefix = delivery_channel.get("s3KeyPrefix") or "null"
                key = delivery_channel.get("s3KmsKeyArn") or "null"
                raise JsonRESTError(
                    "InsufficientDeliveryPolicyException",
                    f"Insufficient delivery policy to s3 bucket: {name}, unable to write to "
                    f"bucket, provided s3 key prefix is '{prefix}', provided kms key is "
                    f"'{key}'.",
                )
        original(self, delivery_channel)

    replace_method(ConfigBackend, "put_delivery_channel", put)
