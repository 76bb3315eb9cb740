"""AWS Backup's jobs in the sandbox (part of the Backup shim, see ``backup.py``): a backup job
makes a recovery point at once — or fails, recorded as AWS records a policy's job whose role
is not there — keeping the resource's own key where AWS does (``encryption.py``); a copy job
into another account fails with AWS's reasons (cross-account backup off, the destination's
access policy, its lock, the source's key)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from moto.core.exceptions import JsonRESTError

from orgstack.sandbox.shims.backup_state import (
    SETTING,
    _backend,
    _now,
    _organization,
    _state,
    _vault,
    judge,
)
from orgstack.sandbox.shims.encryption import copy_denied_by_key, source_encryption


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
            destination,
        )
        if settings.get(SETTING) != "true":
            why = "Cross-account backup is not enabled for the organization in this Region"
        elif denied or not allowed:
            why = f"Access denied: the access policy of {destination} does not allow the copy"
        else:
            why = copy_denied_by_key(point, account)
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


def _backup_job(response: Any, given: dict[str, Any]) -> dict[str, Any]:
    """A backup job, recorded: FAILED as AWS fails a policy's job whose role is not there."""
    from moto.iam.models import iam_backends

    role = str(given["IamRoleArn"])
    job = {
        "AccountId": response.current_account,
        "BackupJobId": str(uuid.uuid4()).upper(),
        "BackupVaultName": given["BackupVaultName"],
        "ResourceArn": given["ResourceArn"],
        "IamRoleArn": role,
        "CreationDate": _now().timestamp(),
        "State": "COMPLETED",
    }
    iam = iam_backends[role.split(":")[4]]["global"] if role.count(":") >= 5 else None
    name = role.rsplit("/", 1)[-1]
    if iam is None or not any(r.name == name for r in iam.roles.values()):
        job.update(
            State="FAILED",
            StatusMessage=f"IAM Role {role} does not exist or cannot be assumed by AWS Backup",
        )
    _state(response.backup_backend)["backup_jobs"][job["BackupJobId"]] = job
    return job


def _body(response: Any) -> dict[str, Any]:
    return json.loads(response.body) if response.body else {}


def start_backup_job(self: Any) -> str:
    given = _body(self)
    vault = _vault(self.backup_backend, given["BackupVaultName"])
    job = _backup_job(self, given)
    if job["State"] == "COMPLETED":
        point = _point(
            vault, given["ResourceArn"], given["IamRoleArn"], given.get("Lifecycle"), None
        )
        kept = source_encryption(given["ResourceArn"])
        if kept is not None:  # the backup keeps the resource's own encryption
            point.update(
                EncryptionKeyArn=kept[0],
                IsEncrypted=kept[0] is not None,
                SourceKeyManager=kept[1],
            )
        _state(self.backup_backend)["points"].setdefault(vault.backup_vault_name, {})[
            point["RecoveryPointArn"]
        ] = point
        job["RecoveryPointArn"] = point["RecoveryPointArn"]
    answer = {k: job[k] for k in ("BackupJobId", "RecoveryPointArn", "CreationDate") if k in job}
    return json.dumps(answer)


def _jobs(response: Any, kind: str) -> list[dict[str, Any]]:
    """The account's jobs of a kind, filtered by ``state`` and ``createdAfter`` as AWS does."""
    state = response.querystring.get("state", [None])[0]
    after = response.querystring.get("createdAfter", [None])[0]
    jobs = [
        j for j in _state(response.backup_backend)[kind].values() if state in (None, j["State"])
    ]
    if after is not None:
        since = (
            float(after)
            if after.replace(".", "").isdigit()
            else datetime.fromisoformat(after.replace("Z", "+00:00")).timestamp()
        )
        jobs = [j for j in jobs if j["CreationDate"] >= since]
    return jobs


def list_backup_jobs(self: Any) -> str:
    return json.dumps({"BackupJobs": _jobs(self, "backup_jobs")})


def describe_backup_job(self: Any) -> str:
    job = _state(self.backup_backend)["backup_jobs"].get(self.path.rsplit("/", 1)[-1])
    if job is None:
        raise JsonRESTError("ResourceNotFoundException", "Backup job not found")
    return json.dumps(job)


def start_copy_job(self: Any) -> str:
    job = _copy(self, _body(self))
    return json.dumps({"CopyJobId": job["CopyJobId"], "CreationDate": job["CreationDate"]})


def list_copy_jobs(self: Any) -> str:
    return json.dumps({"CopyJobs": _jobs(self, "copy_jobs")})


def describe_copy_job(self: Any) -> str:
    job = _state(self.backup_backend)["copy_jobs"].get(self.path.rsplit("/", 1)[-1])
    if job is None:
        raise JsonRESTError("ResourceNotFoundException", "Copy job not found")
    return json.dumps({"CopyJob": job})
