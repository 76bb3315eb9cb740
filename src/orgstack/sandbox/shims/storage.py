"""Shims for S3 behaviour the log archive relies on (each with a test and a line in the
shims' docstring)."""

from __future__ import annotations

import json
from typing import Any

from moto.s3 import models

from orgstack.sandbox.shims.gaps import _INSTALLED

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
