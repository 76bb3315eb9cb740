"""Read the service role, source keys and local vaults (with their access policy) of every
covered account (through the access role; the management account directly), all concurrently.

IAM actions: sts:AssumeRole, iam:GetRole, iam:ListAttachedRolePolicies,
backup:DescribeBackupVault, backup:GetBackupVaultAccessPolicy, kms:DescribeKey,
kms:GetKeyPolicy, kms:GetKeyRotationStatus
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.model.kind import Live, ReadRequest, in_account
from orgstack.plan.resources import canonical

if TYPE_CHECKING:
    pass


def _role(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    iam = ctx.member(account_id)
    try:
        role = ctx.call(iam, "get_role", RoleName=want["name"])["Role"]
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return None
        raise
    trust = role.get("AssumeRolePolicyDocument") or {}
    if isinstance(trust, str):
        trust = json.loads(unquote(trust))
    attached = ctx.page_list(iam, "list_attached_role_policies", RoleName=want["name"])
    return {
        "name": want["name"],
        "trust": canonical(trust),
        "policies": sorted(
            p["PolicyArn"] for page in attached for p in page.get("AttachedPolicies", [])
        ),
    }


def _vault(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    client = ctx.member(account_id, "backup", want["region"])
    try:
        ctx.call(client, "describe_backup_vault", BackupVaultName=want["name"])
    except AwsError as exc:
        if exc.code == "ResourceNotFoundException":
            return None
        raise
    try:
        found = ctx.call(client, "get_backup_vault_access_policy", BackupVaultName=want["name"])
        policy = canonical(json.loads(found["Policy"]))
    except AwsError as exc:
        if exc.code != "ResourceNotFoundException":
            raise
        policy = None
    return {"name": want["name"], "policy": policy, "region": want["region"]}


def _key(ctx: ReadContext, account_id: str, want: dict[str, Any]) -> dict[str, Any] | None:
    found = ctx.key(ctx.member(account_id, "kms", want["region"]), want["alias"])
    if found is None:
        return None
    return {**found, "policy": canonical(found["policy"]), "region": want["region"]}


READERS = {"role": _role, "key": _key, "vault": _vault}


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, (account_id, want) in request.readable().items():
            reader = READERS[in_account(where).split("/")[0]]
            futures[where] = pool.submit(reader, ctx, account_id, want)
        for where, future in futures.items():
            live.found(where, future.result())
    return live
