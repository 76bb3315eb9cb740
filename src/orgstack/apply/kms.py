"""A KMS key found by its alias, made once: what the kinds that encrypt with their own key
(the log archive, the central backup vaults) share."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError


def key_id(ctx: ExecContext, kms: Any, alias: str) -> str | None:
    """The id of the key ``alias`` names, or None."""
    try:
        found = ctx.aws.call(kms, "describe_key", KeyId=alias)
    except AwsError as exc:
        if exc.code == "NotFoundException":
            return None
        raise
    return str(found["KeyMetadata"]["KeyId"])


def ensure_key(
    ctx: ExecContext, kms: Any, index: int, after: dict[str, Any], description: str, purpose: str
) -> str:
    """The key of ``after["alias"]``: created with ``after["policy"]`` and the alias (once),
    then the policy and yearly rotation set (a resumed apply finds it by the alias).

    IAM actions: kms:CreateKey, kms:CreateAlias, kms:DescribeKey, kms:PutKeyPolicy,
    kms:EnableKeyRotation, kms:TagResource
    """
    policy = json.dumps(after["policy"], separators=(",", ":"))
    found = key_id(ctx, kms, after["alias"])
    if found is None:
        created = ctx.aws.call(
            kms,
            "create_key",
            Policy=policy,
            Description=description,
            Tags=[{"TagKey": "orgstack:purpose", "TagValue": purpose}],
        )
        found = str(created["KeyMetadata"]["KeyId"])
        ctx.checkpoint(index, "created")
        try:
            ctx.aws.call(kms, "create_alias", AliasName=after["alias"], TargetKeyId=found)
        except AwsError as exc:
            if exc.code != "AlreadyExistsException":
                raise
    ctx.aws.call(kms, "put_key_policy", KeyId=found, PolicyName="default", Policy=policy)
    if after.get("rotation"):
        ctx.aws.call(kms, "enable_key_rotation", KeyId=found)
    return found
