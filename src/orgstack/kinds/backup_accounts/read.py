"""Read the service role and local vaults (with their access policy) of every covered account
(through the access role; the management account directly), all concurrently.

IAM actions: sts:AssumeRole, iam:GetRole, iam:ListAttachedRolePolicies,
backup:DescribeBackupVault, backup:GetBackupVaultAccessPolicy
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.backup_accounts.desired import PREFIX, desired
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.model import Plan
from orgstack.plan.resources import canonical


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


def _wanted(request: ReadRequest) -> dict[str, dict[str, Any]]:
    if request.model is not None:
        return desired(request.model, request.ids)
    return dict((request.section or {}).get("plan", {}))


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, want in _wanted(request).items():
            account = account_of(where)
            account_id = request.accounts.get(account)
            if account_id is None or (request.only is not None and account not in request.only):
                continue
            reader = _role if in_account(where) == "role" else _vault
            futures[where] = pool.submit(reader, ctx, account_id, want)
        for where, future in futures.items():
            live.found(where, future.result())
    return live


def section_from_plan(plan: Plan) -> dict[str, Any]:
    """The stale check reads what the plan's changes name."""
    return {
        "plan": {
            c.address: c.after or c.before or {}
            for c in plan.changes
            if c.address.startswith(PREFIX + ":")
        }
    }
