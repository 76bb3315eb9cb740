"""The context a kind's reader gets: read-only clients in any account, the shared limiter,
retries and statistics; it cannot hand out a client that writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError
from orgstack.aws.members import AccountClients

#: The error codes by which AWS says that what was asked for is not there (or not set).
NOT_FOUND = frozenset(
    {
        "NoSuchEntity",
        "NoSuchBucket",
        "NoSuchBucketPolicy",
        "NoSuchLifecycleConfiguration",
        "NoSuchPublicAccessBlockConfiguration",
        "ObjectLockConfigurationNotFoundError",
        "ServerSideEncryptionConfigurationNotFoundError",
        "NotFoundException",
        "ResourceNotFoundException",
    }
)


class ReadContext:
    """Read-only clients: the management account's (``client``) and any account's
    (``member``), plus the calls that turn AWS faults into clear errors."""

    def __init__(self, aws: AwsContext, clients: AccountClients) -> None:
        self._aws = aws
        self._clients = clients if clients.read_only else clients.reading()

    @property
    def home(self) -> str:
        """The account orgstack runs in."""
        return self._clients.home

    @property
    def max_workers(self) -> int:
        return self._aws.options.max_workers

    def client(self, service: str, region: str | None = None) -> Any:
        return self._clients.client(self.home, service, region)

    def member(self, account_id: str, service: str = "iam", region: str | None = None) -> Any:
        return self._clients.client(account_id, service, region)

    def call(self, client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self._aws.call(client, operation, **kwargs)

    def pages(self, client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        return self._aws.pages(client, operation, key, **kwargs)

    def page_list(self, client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        return self._aws.page_list(client, operation, **kwargs)

    def absent(
        self, client: Any, operation: str, codes: frozenset[str] = NOT_FOUND, **kwargs: Any
    ) -> dict[str, Any] | None:
        """``operation``'s answer, or None when AWS answers one of ``codes`` (by default the
        codes by which AWS says "not there")."""
        try:
            return self.call(client, operation, **kwargs)
        except AwsError as exc:
            if exc.code in codes:
                return None
            raise

    def key(self, kms: Any, alias: str) -> dict[str, Any] | None:
        """The KMS key ``alias`` names: ``{"alias", "policy" (the parsed document),
        "rotation"}``, or None when no key has that alias.

        IAM actions: kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus
        """
        gone = frozenset({"NotFoundException"})
        found = self.absent(kms, "describe_key", gone, KeyId=alias)
        if found is None:
            return None
        key_id = found["KeyMetadata"]["KeyId"]
        policy = self.absent(kms, "get_key_policy", gone, KeyId=key_id, PolicyName="default")
        rotation = self.absent(kms, "get_key_rotation_status", gone, KeyId=key_id) or {}
        return {
            "alias": alias,
            "policy": json.loads((policy or {}).get("Policy") or "{}"),
            "rotation": bool(rotation.get("KeyRotationEnabled")),
        }
