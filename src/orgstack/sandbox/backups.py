"""AWS Backup's scheduler, played once on the sandbox: moto runs no schedules, so
``orgstack sandbox run-backups`` does what AWS Backup does when a plan of an effective backup
policy comes due — in every account the organization's backup policies cover, each resource
tagged for a plan is backed up into the plan's vault (as the policy's role), then copied to each
copy action's vault. Copies go through the sandbox's Backup shim, which fails them as AWS would
(cross-account backup off, a vault policy that does not allow them, a retention outside the
lock)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class BackupRun:
    account: str
    region: str
    resource: str
    recovery_point: str | None  # None: the backup job failed (``message`` says why)
    copies: tuple[tuple[str, str, str], ...]  # (destination vault, state, message)
    message: str = ""


def _value(node: Any) -> Any:
    return node.get("@@assign") if isinstance(node, dict) else node


def _covered(org: Any, policy_id: str) -> set[str]:
    """The accounts below the policy's targets."""
    found: set[str] = set()
    for target in org.list_targets_for_policy(PolicyId=policy_id)["Targets"]:
        if target["Type"] == "ACCOUNT":
            found.add(target["TargetId"])
            continue
        parents = [target["TargetId"]]
        while parents:
            parent = parents.pop()
            found |= {a["Id"] for a in org.list_accounts_for_parent(ParentId=parent)["Accounts"]}
            parents += [
                o["Id"]
                for o in org.list_organizational_units_for_parent(ParentId=parent)[
                    "OrganizationalUnits"
                ]
            ]
    return found


def _session(account: str, management: str, role: str) -> Any:
    if account == management:
        return boto3.Session()
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="aws-backup-scheduler"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _run_plan(session: Any, account: str, plan: dict[str, Any]) -> list[BackupRun]:
    runs = []
    for region in _value(plan.get("regions")) or []:
        tagging = session.client("resourcegroupstaggingapi", region_name=region)
        backup = session.client("backup", region_name=region)
        for rule_name, rule in (plan.get("rules") or {}).items():
            selection = (plan.get("selections") or {}).get("tags", {}).get(rule_name) or {}
            key, values = _value(selection.get("tag_key")), _value(selection.get("tag_value"))
            role = str(_value(selection.get("iam_role_arn"))).replace("$account", account)
            found = tagging.get_resources(TagFilters=[{"Key": key, "Values": list(values)}])
            for mapping in found["ResourceTagMappingList"]:
                keep = int(_value((rule.get("lifecycle") or {}).get("delete_after_days")) or 0)
                try:
                    job = backup.start_backup_job(
                        BackupVaultName=_value(rule["target_backup_vault_name"]),
                        ResourceArn=mapping["ResourceARN"],
                        IamRoleArn=role,
                        **({"Lifecycle": {"DeleteAfterDays": keep}} if keep else {}),
                    )
                except ClientError as exc:  # no local vault: the plan's jobs cannot start
                    message = exc.response["Error"].get("Message", "")
                    runs.append(
                        BackupRun(account, region, mapping["ResourceARN"], None, (), message)
                    )
                    continue
                if "RecoveryPointArn" not in job:  # failed: no point, nothing to copy
                    failed = backup.describe_backup_job(BackupJobId=job["BackupJobId"])
                    message = failed.get("StatusMessage", "")
                    runs.append(
                        BackupRun(account, region, mapping["ResourceARN"], None, (), message)
                    )
                    continue
                copies = []
                for action in (rule.get("copy_actions") or {}).values():
                    target = _value(action["target_backup_vault_arn"])
                    days = int(
                        _value((action.get("lifecycle") or {}).get("delete_after_days")) or 0
                    )
                    started = backup.start_copy_job(
                        RecoveryPointArn=job["RecoveryPointArn"],
                        SourceBackupVaultName=_value(rule["target_backup_vault_name"]),
                        DestinationBackupVaultArn=target,
                        IamRoleArn=role,
                        **({"Lifecycle": {"DeleteAfterDays": days}} if days else {}),
                    )
                    described = backup.describe_copy_job(CopyJobId=started["CopyJobId"])["CopyJob"]
                    copies.append((target, described["State"], described.get("StatusMessage", "")))
                runs.append(
                    BackupRun(
                        account,
                        region,
                        mapping["ResourceARN"],
                        job["RecoveryPointArn"],
                        tuple(copies),
                    )
                )
    return runs


def run_backups(role: str = "OrganizationAccountAccessRole") -> list[BackupRun]:
    """Run every plan of every backup policy once, in every account it covers."""
    org = boto3.client("organizations")
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    runs: list[BackupRun] = []
    for policy in org.list_policies(Filter="BACKUP_POLICY")["Policies"]:
        content = json.loads(org.describe_policy(PolicyId=policy["Id"])["Policy"]["Content"])
        for account in sorted(_covered(org, policy["Id"])):
            session = _session(account, management, role)
            for plan in (content.get("plans") or {}).values():
                runs += _run_plan(session, account, plan)
    return runs
