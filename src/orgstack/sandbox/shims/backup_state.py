"""The state the sandbox's AWS Backup shim keeps per account and Region, and how it judges a
vault access policy (part of the Backup shim, see ``backup.py``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from moto.core.exceptions import JsonRESTError

SETTING = "isCrossAccountBackupEnabled"
PRINCIPAL = "backup.amazonaws.com"


def _now() -> datetime:
    return datetime.now(UTC)


def _state(backend: Any) -> dict[str, Any]:
    """The shim's state of one account and Region, kept on moto's backend."""
    found: dict[str, Any] | None = getattr(backend, "orgstack_backup", None)
    if found is None:
        found = {
            "policies": {},
            "points": {},
            "copy_jobs": {},
            "backup_jobs": {},
            "settings": {SETTING: "false"},
        }
        backend.orgstack_backup = found
    return found


def _backend(account: str, region: str) -> Any:
    from moto.backup.models import backup_backends

    return backup_backends[account][region]


def _vault(backend: Any, name: str) -> Any:
    vault = backend.vaults.get(name)
    if vault is None:
        raise JsonRESTError("ResourceNotFoundException", f"Backup vault {name} not found")
    return vault


def _organization(account: str) -> tuple[str | None, str | None, Any]:
    """(organization id, management account id, management's Organizations backend)."""
    from moto.organizations.models import organizations_backends

    for partitions in list(organizations_backends.values()):
        for backend in list(partitions.values()):
            if backend.org and any(a.id == account for a in backend.accounts):
                return str(backend.org.id), str(backend.org.master_account_id), backend
    return None, None, None


def _caller(response: Any) -> str:
    from moto.sts.models import sts_backends

    sts = sts_backends[response.current_account]["global"]
    _, arn, _ = sts.get_caller_identity(response.get_access_key(), response.region)
    return str(arn)


def judge(policy: str | None, action: str, caller_arn: str, resource: str) -> tuple[bool, bool]:
    """(an Allow of ``action`` on ``resource`` covers the caller, a Deny does) in a vault
    access policy, as AWS evaluates it (a Deny it cannot evaluate counts)."""
    from orgstack.sandbox.shims.callers import organization_id
    from orgstack.sandbox.shims.evaluation import Caller, Request, evaluate

    if not policy:
        return False, False
    account = caller_arn.split(":")[4]
    parts = caller_arn.split(":")
    role = parts[5].split("/")[1] if parts[5].startswith("assumed-role/") else None
    principal_arn = f"arn:aws:iam::{account}:role/{role}" if role else caller_arn
    context = {"aws:PrincipalArn": principal_arn, "aws:PrincipalAccount": account}
    if org := organization_id(account):
        context["aws:PrincipalOrgID"] = org
    request = Request(Caller(caller_arn, account, principal_arn), action, resource, context)
    outcome = evaluate([json.loads(policy)], request, principals=True)
    return outcome.allowed, outcome.denied is not None
