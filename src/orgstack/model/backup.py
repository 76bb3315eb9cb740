"""The backup account's names and the organization backup policy (the ``backup:`` section
compiled), shared by the backup kinds, the spec compiler and the rules.

The design: every targeted account backs up its tagged resources into a local vault (as the
service role ``service_role``), and each backup is copied at once into the central vault of the
backup account, which the workload account's principals cannot reach: its access policy takes
copies from the organization only and denies deleting or changing recovery points, and its
Vault Lock (compliance mode) keeps them for ``min_retention_days`` even from the backup
account's root user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The compiled ``backup:`` section in ``OrgModel.sections``.
SECTION = "backup"
#: The service principal of AWS Backup (trusted access, the service role's trust).
PRINCIPAL = "backup.amazonaws.com"
#: What the service role may do: AWS's managed policies for backups and restores.
SERVICE_POLICIES = (
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
)
#: What removes or shortens a recovery point: in the central vault only the break-glass role
#: may ask (and Vault Lock still refuses it before the minimum retention).
DELETES = (
    "backup:DeleteBackupVault",
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
)
#: What loosens the vault: the break-glass role and orgstack's access role (which restores it).
LOOSENING = (
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
    "backup:PutBackupVaultAccessPolicy",
)
COPY_INTO = "backup:CopyIntoBackupVault"


def vault_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:backup:{region}:{account_id}:backup-vault:{name}"


def central_vault_arn(section: Mapping[str, Any], region: str, account_id: str) -> str:
    return vault_arn(region, account_id, section["vault"])


def plan_name(plan: str, region: str) -> str:
    """The backup plan AWS creates in every targeted account from the policy."""
    return f"orgstack-{plan}-{region}"


def _assign(value: Any) -> dict[str, Any]:
    return {"@@assign": value}


def backup_policy(section: Mapping[str, Any], backup_account_id: str) -> dict[str, Any]:
    """The organization backup policy (AWS's backup-policy syntax): per plan and Region a backup
    plan of the resources tagged ``tag_key: <plan>``, into the local vault, each backup copied
    into the central vault of the same Region — or, with ``copy_region``, one plan for every
    Region copying into that Region's vault.

    ``backup_account_id`` may be ``{account:NAME}`` while the account does not exist yet."""
    plans: dict[str, Any] = {}
    for name, plan in section["plans"].items():
        # Copies into one Region's vault: one plan for every Region (a smaller policy; AWS
        # allows 10,000 characters); else one plan per Region, copying into its own vault.
        groups = (
            [(f"orgstack-{name}", list(section["regions"]))]
            if plan["copy_region"]
            else [(plan_name(name, r), [r]) for r in section["regions"]]
        )
        for key, regions in groups:
            region = regions[0]
            target = central_vault_arn(section, plan["copy_region"] or region, backup_account_id)
            rule = {
                "schedule_expression": _assign(plan["schedule"]),
                "start_backup_window_minutes": _assign(str(plan["start_window_minutes"])),
                "complete_backup_window_minutes": _assign(str(plan["complete_window_minutes"])),
                "target_backup_vault_name": _assign(section["local_vault"]),
                "lifecycle": {"delete_after_days": _assign(str(plan["keep_days"]))},
                "copy_actions": {
                    target: {
                        "target_backup_vault_arn": _assign(target),
                        "lifecycle": {"delete_after_days": _assign(str(plan["copy_keep_days"]))},
                    }
                },
            }
            plans[key] = {
                "regions": _assign(regions),
                "rules": {name: rule},
                "selections": {
                    "tags": {
                        name: {
                            "iam_role_arn": _assign(
                                f"arn:aws:iam::$account:role/{section['service_role']}"
                            ),
                            "tag_key": _assign(section["tag_key"]),
                            "tag_value": _assign([name]),
                        }
                    }
                },
            }
    return {"plans": plans}


#: Resource types (the ARN's service and resource type) whose backups keep the resource's own
#: encryption, because AWS Backup does not fully manage them ("Feature availability by
#: resource", AWS Backup Developer Guide): their copies into the backup account need a customer
#: managed key shared with it. EBS volumes, EC2 instances (their volumes), RDS instances and
#: clusters (Aurora, DocumentDB and Neptune clusters are RDS clusters). Resources AWS Backup
#: fully manages (EFS, DynamoDB with advanced features, S3, Timestream…) are encrypted with
#: the vault's key and copy as they are.
KEEPS_OWN_KEY = (("ec2", "volume"), ("ec2", "instance"), ("rds", "db"), ("rds", "cluster"))
#: Key actions a copy into the backup account needs on the source key.
COPY_KEY_ACTIONS = ("kms:Decrypt", "kms:CreateGrant")


def keeps_own_key(resource: str) -> bool:
    """Whether the backups of the resource (an ARN) keep its own encryption."""
    parts = resource.split(":")
    return len(parts) > 5 and (parts[2], parts[5].split("/")[0]) in KEEPS_OWN_KEY


def shares_key(policy: Mapping[str, Any], account_id: str) -> bool:
    """Whether a key policy lets ``account_id`` (its root, so its principals through IAM) use
    the key for copies: an Allow of every ``COPY_KEY_ACTIONS`` naming the account."""
    from fnmatch import fnmatchcase

    statements = policy.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        names = principal.get("AWS", []) if isinstance(principal, dict) else principal
        names = names if isinstance(names, list) else [names]
        if not any(n in ("*", account_id, f"arn:aws:iam::{account_id}:root") for n in names):
            continue
        actions = statement.get("Action") or []
        actions = actions if isinstance(actions, list) else [actions]
        if all(
            any(fnmatchcase(a.lower(), str(p).lower()) for p in actions) for a in COPY_KEY_ACTIONS
        ):
            return True
    return False
