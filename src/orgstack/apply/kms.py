"""A KMS key found by its alias, made once: what the kinds that encrypt with their own key
(the log archive, the central backup vaults, the backup source keys) share.

A key is tagged with the address of the change that made it (``orgstack:address``) before
its alias exists: an apply killed between CreateKey and CreateAlias leaves a key no alias
names, and the next apply (resumed or planned again) adopts it instead of making another.
"""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError

#: The tag that names the change a key was made for.
ADDRESS_TAG = "orgstack:address"
#: States of a key that can still be adopted (not pending deletion or import).
USABLE = ("Enabled", "Disabled")


def key_id(ctx: ExecContext, kms: Any, alias: str) -> str | None:
    """The id of the key ``alias`` names, or None."""
    try:
        found = ctx.aws.call(kms, "describe_key", KeyId=alias)
    except AwsError as exc:
        if exc.code == "NotFoundException":
            return None
        raise
    return str(found["KeyMetadata"]["KeyId"])


def orphan(ctx: ExecContext, kms: Any, address: str) -> str | None:
    """A customer managed key tagged for ``address`` that no alias names yet (an earlier
    apply stopped between making it and naming it), or None. Keys AWS manages (``alias/aws/…``)
    and keys an alias names already are not asked for their tags.

    IAM actions: kms:ListKeys, kms:ListAliases, kms:ListResourceTags, kms:DescribeKey
    """
    named = {
        a["TargetKeyId"]
        for a in ctx.aws.pages(kms, "list_aliases", "Aliases")
        if a.get("TargetKeyId")
    }
    for key in ctx.aws.pages(kms, "list_keys", "Keys"):
        if key["KeyId"] in named:
            continue
        try:
            tags = ctx.aws.call(kms, "list_resource_tags", KeyId=key["KeyId"]).get("Tags", [])
        except AwsError as exc:
            if exc.code in ("AccessDeniedException", "NotFoundException"):
                continue
            raise
        if {"TagKey": ADDRESS_TAG, "TagValue": address} not in tags:
            continue
        state = ctx.aws.call(kms, "describe_key", KeyId=key["KeyId"])["KeyMetadata"]
        if state.get("KeyManager") == "CUSTOMER" and state.get("KeyState") in USABLE:
            if state.get("KeyState") == "Disabled":
                ctx.aws.call(kms, "enable_key", KeyId=key["KeyId"])
            return str(key["KeyId"])
    return None


def ensure_key(
    ctx: ExecContext,
    kms: Any,
    index: int,
    after: dict[str, Any],
    description: str,
    purpose: str,
    address: str,
) -> str:
    """The key of ``after["alias"]``: found by the alias, else adopted (tagged for
    ``address``, no alias yet), else created with ``after["policy"]``; then named, and the
    policy and yearly rotation set.

    IAM actions: kms:CreateKey, kms:CreateAlias, kms:DescribeKey, kms:PutKeyPolicy,
    kms:EnableKeyRotation, kms:TagResource, kms:ListKeys, kms:ListAliases,
    kms:ListResourceTags, kms:EnableKey
    """
    policy = json.dumps(after["policy"], separators=(",", ":"))
    found = key_id(ctx, kms, after["alias"])
    if found is None:
        found = orphan(ctx, kms, address)
        if found is None:
            created = ctx.aws.call(
                kms,
                "create_key",
                Policy=policy,
                Description=description,
                Tags=[
                    {"TagKey": "orgstack:purpose", "TagValue": purpose},
                    {"TagKey": ADDRESS_TAG, "TagValue": address},
                ],
            )
            found = str(created["KeyMetadata"]["KeyId"])
            ctx.checkpoint(index, "created")
        try:
            ctx.aws.call(kms, "create_alias", AliasName=after["alias"], TargetKeyId=found)
        except AwsError as exc:
            if exc.code != "AlreadyExistsException":
                raise
            found = key_id(ctx, kms, after["alias"]) or found  # named meanwhile: that key
    ctx.aws.call(kms, "put_key_policy", KeyId=found, PolicyName="default", Policy=policy)
    if after.get("rotation"):
        ctx.aws.call(kms, "enable_key_rotation", KeyId=found)
    return found
