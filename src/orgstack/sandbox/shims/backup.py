"""AWS Backup behaviour moto lacks (each with a test and a line in the shims' docstring): vault
access policies, the cross-account global setting, backup jobs that make recovery points (or
fail, as the policy's jobs do, when their role is missing), copy jobs into another account's
vault (judged as AWS judges them: the setting, the destination's access policy, its lock, and
the source's encryption: a resource AWS Backup does not fully manage keeps its own key, and
copies into another account only when that key is customer managed and shared with it),
deleting a recovery point (refused by the vault's access policy or its lock) and deleting a
vault (refused by its access policy, or while it holds recovery points).

A backup job completes at once; no data is read from the resource (the sandbox has none), only
its encryption. The jobs are in ``backup_jobs.py``, the kept state and the policy judge in
``backup_state.py``, the encryption rules in ``encryption.py``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from moto.backup import responses as backup_responses
from moto.backup import urls as backup_urls
from moto.core.exceptions import JsonRESTError

from orgstack.sandbox.shims.backup_jobs import (
    describe_backup_job,
    describe_copy_job,
    list_backup_jobs,
    list_copy_jobs,
    start_backup_job,
    start_copy_job,
)
from orgstack.sandbox.shims.backup_state import (
    PRINCIPAL,
    _caller,
    _now,
    _organization,
    _state,
    _vault,
    judge,
)
from orgstack.sandbox.shims.gaps import _INSTALLED, add_methods

PATHS = (
    "{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<point>[^/]+)$",
    "{0}/global-settings$",
    "{0}/backup-jobs$",
    "{0}/backup-jobs/$",
    "{0}/backup-jobs/(?P<job>[^/]+)$",
    "{0}/copy-jobs$",
    "{0}/copy-jobs/$",
    "{0}/copy-jobs/(?P<job>[^/]+)$",
)


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
    _, denied = judge(
        _state(backend)["policies"].get(name), "backup:DeleteRecoveryPoint", caller, arn
    )
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
    policy = _state(backend)["policies"].get(name)
    if judge(policy, "backup:DeleteBackupVault", caller, vault.backup_vault_arn)[1]:
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

    def list_recovery_points_by_backup_vault(self: Any) -> str:
        _vault(self.backup_backend, name(self))
        points = _state(self.backup_backend)["points"].get(name(self), {})
        return json.dumps({"RecoveryPoints": list(points.values())})

    def delete_backup_vault(self: Any) -> str:
        _delete_vault(self, name(self))
        return "{}"

    def describe_recovery_point(self: Any) -> str:
        arn = unquote(self.path.rsplit("/", 1)[-1])
        point = _state(self.backup_backend)["points"].get(name(self), {}).get(arn)
        if point is None:
            raise JsonRESTError("ResourceNotFoundException", f"Recovery point {arn} not found")
        return json.dumps(point)

    def delete_recovery_point(self: Any) -> str:
        _delete_point(self, name(self), unquote(self.path.rsplit("/", 1)[-1]))
        return "{}"

    return {k: v for k, v in locals().items() if not k.startswith(("body", "name"))}


def backup_vault_policies() -> None:
    """Install the AWS Backup calls above on moto's Backup responses (idempotent)."""
    cls = backup_responses.BackupResponse
    if getattr(cls, "orgstack_shim", False):
        return
    methods = {
        **_methods(),
        "start_backup_job": start_backup_job,
        "list_backup_jobs": list_backup_jobs,
        "describe_backup_job": describe_backup_job,
        "start_copy_job": start_copy_job,
        "list_copy_jobs": list_copy_jobs,
        "describe_copy_job": describe_copy_job,
    }
    add_methods(cls, methods)
    for path in PATHS:
        backup_urls.url_paths[path] = cls.dispatch
    cls.orgstack_shim = True  # type: ignore[attr-defined]

    def undo() -> None:
        for path in PATHS:
            backup_urls.url_paths.pop(path, None)
        cls.orgstack_shim = False  # type: ignore[attr-defined]

    _INSTALLED.append(undo)


__all__ = ["backup_vault_policies", "judge"]
