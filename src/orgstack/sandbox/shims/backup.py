"""AWS Backup behaviour moto lacks (each with a test and a line in the shims' docstring): vault
access policies, the cross-account global setting, backup jobs that make recovery points, copy
jobs into another account's vault (judged as AWS judges them: the setting, the destination's
access policy, its lock), deleting a recovery point (refused by the vault's access policy or
its lock) and deleting a vault (refused by its access policy, or while it holds recovery
points).

A backup job completes at once; nothing is read from the resource (the sandbox has no data).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from moto.backup import responses as backup_responses
from moto.backup import urls as backup_urls
from moto.core.exceptions import JsonRESTError

from orgstack.sandbox.shims.gaps import _INSTALLED

PATHS = (
    "{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<point>[^/]+)$",
    "{0}/global-settings$",
    "{0}/backup-jobs$",
    "{0}/backup-jobs/$",
    "{0}/copy-jobs$",
    "{0}/copy-jobs/$",
    "{0}/copy-jobs/(?P<job>[^/]+)$",
)
SETTING = "isCrossAccountBackupEnabled"
PRINCIPAL = "backup.amazonaws.com"


def _now() -> datetime:
    return datetime.now(UTC)


def _state(backend: Any) -> dict[str, Any]:
    """The shim's state of one account and Region, kept on moto's backend."""
    found: dict[str, Any] | None = getattr(backend, "orgstack_backup", None)
    if found is None:
        found = {"policies": {}, "points": {}, "copy_jobs": {}, "settings": {SETTING: "false"}}
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


def _principal_arn(arn: str) -> str:
    """An assumed-role session is judged as its role (``aws:PrincipalArn``)."""
    parts = arn.split(":")
    if len(parts) > 5 and parts[5].startswith("assumed-role/"):
        return f"arn:aws:iam::{parts[4]}:role/{parts[5].split('/')[1]}"
    return arn


def judge(policy: str | None, action: str, caller_arn: str) -> tuple[bool, bool]:
    """(an Allow of ``action`` covers the caller, a Deny does) in a vault access policy."""
    from orgstack.sandbox.shims.authorization import _conditions_met, _list, _names, _statements

    if not policy:
        return False, False
    account = caller_arn.split(":")[4]
    org, _, _ = _organization(account)
    context = {"aws:PrincipalArn": _principal_arn(caller_arn), "aws:PrincipalAccount": account}
    if org:
        context["aws:PrincipalOrgID"] = org
    caller = {"arn": caller_arn, "account": account, "role_arn": _principal_arn(caller_arn)}
    allowed = denied = False
    for statement in _statements(json.loads(policy)):
        actions = [str(a).lower() for a in _list(statement.get("Action"))]
        if not any(a in (action.lower(), "backup:*", "*") for a in actions):
            continue
        if not _names(statement, caller)[0] or not _conditions_met(statement, context):
            continue
        if statement.get("Effect") == "Deny":
            denied = True
        elif statement.get("Effect") == "Allow":
            allowed = True
    return allowed, denied


def _point(vault: Any, resource: str, role: str, lifecycle: Any, source: str | None) -> Any:
    arn = vault.backup_vault_arn.split(":backup-vault:")[0] + f":recovery-point:{uuid.uuid4()}"
    created = _now()
    return {
        "RecoveryPointArn": arn,
        "BackupVaultName": vault.backup_vault_name,
        "BackupVaultArn": vault.backup_vault_arn,
        "ResourceArn": resource,
        "ResourceType": resource.split(":")[2].upper() if resource.count(":") > 2 else "OTHER",
        "IamRoleArn": role,
        "Status": "COMPLETED",
        "CreationDate": created.timestamp(),
        "CompletionDate": created.timestamp(),
        "Lifecycle": lifecycle or {},
        "EncryptionKeyArn": vault.encryption_key_arn,
        "IsEncrypted": True,
        **({"SourceBackupVaultArn": source} if source else {}),
    }


def _copy(response: Any, body: dict[str, Any]) -> dict[str, Any]:
    """A copy job as AWS runs it: FAILED (with AWS's reason) or COMPLETED with a new point."""
    backend = response.backup_backend
    source = _vault(backend, body["SourceBackupVaultName"])
    point = (
        _state(backend)["points"].get(source.backup_vault_name, {}).get(body["RecoveryPointArn"])
    )
    if point is None:
        raise JsonRESTError("ResourceNotFoundException", "Recovery point not found")
    destination = body["DestinationBackupVaultArn"]
    region, account = destination.split(":")[3], destination.split(":")[4]
    name = destination.split(":backup-vault:")[-1]
    job = {
        "AccountId": response.current_account,
        "CopyJobId": str(uuid.uuid4()).upper(),
        "SourceBackupVaultArn": source.backup_vault_arn,
        "SourceRecoveryPointArn": point["RecoveryPointArn"],
        "DestinationBackupVaultArn": destination,
        "ResourceArn": point["ResourceArn"],
        "ResourceType": point["ResourceType"],
        "IamRoleArn": body.get("IamRoleArn"),
        "CreationDate": _now().timestamp(),
        "CompletionDate": _now().timestamp(),
        "State": "COMPLETED",
    }
    target_backend = _backend(account, region)
    target = target_backend.vaults.get(name)
    why = None
    if target is None:
        why = f"Backup vault {destination} not found"
    elif account != response.current_account:
        _, management, _ = _organization(response.current_account)
        settings = _state(_backend(management, region))["settings"] if management else {}
        allowed, denied = judge(
            _state(target_backend)["policies"].get(name),
            "backup:CopyIntoBackupVault",
            f"arn:aws:iam::{response.current_account}:root",
        )
        if settings.get(SETTING) != "true":
            why = "Cross-account backup is not enabled for the organization in this Region"
        elif denied or not allowed:
            why = f"Access denied: the access policy of {destination} does not allow the copy"
    keep = ((body.get("Lifecycle") or {}).get("DeleteAfterDays")) or None
    if why is None and target.locked and keep is not None:
        low, high = target.min_retention_days, target.max_retention_days
        if (low and keep < low) or (high and keep > high):
            why = f"The retention of {keep} days is outside the vault lock's {low}-{high} days"
    if why is not None:
        job.update(State="FAILED", StatusMessage=why)
    else:
        copied = _point(
            target,
            point["ResourceArn"],
            job["IamRoleArn"] or "",
            body.get("Lifecycle"),
            source.backup_vault_arn,
        )
        _state(target_backend)["points"].setdefault(name, {})[copied["RecoveryPointArn"]] = copied
        job["DestinationRecoveryPointArn"] = copied["RecoveryPointArn"]
    _state(backend)["copy_jobs"][job["CopyJobId"]] = job
    return job


def _delete_point(response: Any, name: str, arn: str) -> None:
    """Refused as AWS refuses it: another account's point (no policy grants it), a Deny of the
    vault's access policy, or a lock whose minimum retention has not passed."""
    caller = _caller(response)
    if arn.split(":")[4] != response.current_account:
        raise JsonRESTError(
            "AccessDeniedException",
            f"User: {caller} is not authorized to perform: backup:DeleteRecoveryPoint on {arn}",
        )
    backend = response.backup_backend
    vault = _vault(backend, name)
    points = _state(backend)["points"].get(name, {})
    if arn not in points:
        raise JsonRESTError("ResourceNotFoundException", f"Recovery point {arn} not found")
    _, denied = judge(_state(backend)["policies"].get(name), "backup:DeleteRecoveryPoint", caller)
    if denied:
        raise JsonRESTError(
            "AccessDeniedException",
            f"User: {caller} is not authorized to perform: backup:DeleteRecoveryPoint on "
            f"{arn} with an explicit deny in a resource-based policy",
        )
    age_days = (_now().timestamp() - points[arn]["CreationDate"]) / 86400
    if vault.locked and vault.min_retention_days and age_days < vault.min_retention_days:
        raise JsonRESTError(
            "InvalidRequestException",
            f"Recovery point {arn} is protected by the vault lock of {name} for "
            f"{vault.min_retention_days} days",
        )
    del points[arn]


def _delete_vault(response: Any, name: str) -> None:
    """Refused by a Deny of the vault's access policy, or while it holds recovery points."""
    backend = response.backup_backend
    vault = _vault(backend, name)
    caller = _caller(response)
    if judge(_state(backend)["policies"].get(name), "backup:DeleteBackupVault", caller)[1]:
        raise JsonRESTError(
            "AccessDeniedException",
            f"User: {caller} is not authorized to perform: backup:DeleteBackupVault on "
            f"{vault.backup_vault_arn} with an explicit deny in a resource-based policy",
        )
    points = _state(backend)["points"].get(name, {})
    if points:
        raise JsonRESTError(
            "InvalidRequestException",
            f"Backup vault cannot be deleted (contains {len(points)} recovery points)",
        )
    backend.delete_backup_vault(name)


def _methods() -> dict[str, Any]:
    def body(self: Any) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    def name(self: Any) -> str:
        return unquote(self.path.split("/backup-vaults/")[1].split("/")[0])

    def put_backup_vault_access_policy(self: Any) -> str:
        _vault(self.backup_backend, name(self))
        _state(self.backup_backend)["policies"][name(self)] = body(self)["Policy"]
        return "{}"

    def get_backup_vault_access_policy(self: Any) -> str:
        vault = _vault(self.backup_backend, name(self))
        policy = _state(self.backup_backend)["policies"].get(name(self))
        if policy is None:
            raise JsonRESTError("ResourceNotFoundException", "No access policy for the vault")
        return json.dumps(
            {
                "BackupVaultName": name(self),
                "BackupVaultArn": vault.backup_vault_arn,
                "Policy": policy,
            }
        )

    def delete_backup_vault_access_policy(self: Any) -> str:
        _vault(self.backup_backend, name(self))
        _state(self.backup_backend)["policies"].pop(name(self), None)
        return "{}"

    def describe_global_settings(self: Any) -> str:
        return json.dumps({"GlobalSettings": dict(_state(self.backup_backend)["settings"])})

    def update_global_settings(self: Any) -> str:
        org, management, orgs = _organization(self.current_account)
        if management != self.current_account:
            raise JsonRESTError(
                "InvalidRequestException", "The account is not an Organizations management account"
            )
        enabled = {s["ServicePrincipal"] for s in orgs.services}
        if PRINCIPAL not in enabled:
            raise JsonRESTError(
                "InvalidRequestException",
                f"Trusted access for {PRINCIPAL} is not enabled in the organization {org}",
            )
        _state(self.backup_backend)["settings"].update(body(self).get("GlobalSettings") or {})
        return "{}"

    def start_backup_job(self: Any) -> str:
        given = body(self)
        vault = _vault(self.backup_backend, given["BackupVaultName"])
        point = _point(
            vault, given["ResourceArn"], given["IamRoleArn"], given.get("Lifecycle"), None
        )
        _state(self.backup_backend)["points"].setdefault(vault.backup_vault_name, {})[
            point["RecoveryPointArn"]
        ] = point
        return json.dumps(
            {
                "BackupJobId": str(uuid.uuid4()).upper(),
                "RecoveryPointArn": point["RecoveryPointArn"],
                "CreationDate": point["CreationDate"],
            }
        )

    def start_copy_job(self: Any) -> str:
        job = _copy(self, body(self))
        return json.dumps({"CopyJobId": job["CopyJobId"], "CreationDate": job["CreationDate"]})

    def list_copy_jobs(self: Any) -> str:
        state = self.querystring.get("state", [None])[0]
        after = self.querystring.get("createdAfter", [None])[0]
        jobs = list(_state(self.backup_backend)["copy_jobs"].values())
        jobs = [j for j in jobs if state in (None, j["State"])]
        if after is not None:
            since = (
                datetime.fromisoformat(after.replace("Z", "+00:00")).timestamp()
                if not (after.replace(".", "").isdigit())
                else float(after)
            )
            jobs = [j for j in jobs if j["CreationDate"] >= since]
        return json.dumps({"CopyJobs": jobs})

    def describe_copy_job(self: Any) -> str:
        job = _state(self.backup_backend)["copy_jobs"].get(self.path.rsplit("/", 1)[-1])
        if job is None:
            raise JsonRESTError("ResourceNotFoundException", "Copy job not found")
        return json.dumps({"CopyJob": job})

    def list_recovery_points_by_backup_vault(self: Any) -> str:
        _vault(self.backup_backend, name(self))
        points = _state(self.backup_backend)["points"].get(name(self), {})
        return json.dumps({"RecoveryPoints": list(points.values())})

    def delete_backup_vault(self: Any) -> str:
        _delete_vault(self, name(self))
        return "{}"

    def delete_recovery_point(self: Any) -> str:
        _delete_point(self, name(self), unquote(self.path.rsplit("/", 1)[-1]))
        return "{}"

    return {k: v for k, v in locals().items() if not k.startswith(("body", "name"))}


def backup_vault_policies() -> None:
    """Install the AWS Backup calls above on moto's Backup responses (idempotent)."""
    cls = backup_responses.BackupResponse
    if getattr(cls, "orgstack_shim", False):
        return
    methods = _methods()
    replaced = {name: getattr(cls, name, None) for name in methods}
    for name, method in methods.items():
        setattr(cls, name, method)
    for path in PATHS:
        backup_urls.url_paths[path] = cls.dispatch
    cls.orgstack_shim = True  # type: ignore[attr-defined]

    def undo() -> None:
        for name, method in replaced.items():
            if method is None:
                delattr(cls, name)
            else:
                setattr(cls, name, method)
        for path in PATHS:
            backup_urls.url_paths.pop(path, None)
        cls.orgstack_shim = False  # type: ignore[attr-defined]

    _INSTALLED.append(undo)


__all__ = ["backup_vault_policies", "judge"]
