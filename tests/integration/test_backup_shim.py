"""The sandbox's AWS Backup shim refuses what AWS refuses: copies without cross-account backup,
without the destination's permission or outside its lock; deleting another account's recovery
point, one a vault policy denies, or one the lock still keeps; the global setting outside the
management account or before trusted access."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orgstack.kinds.backup_accounts.vocabulary import TRUST
from tests.integration.test_log_archive import member

ORG_ALLOWS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "backup:CopyIntoBackupVault",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "{org}"}},
        },
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "backup:DeleteRecoveryPoint",
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}},
        },
    ],
}


def _org(orgs: Any) -> tuple[str, str, str]:
    """(organization id, workload account, backup account), with trusted access for Backup."""
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    made = [
        orgs.create_account(AccountName=n, Email=f"{n}@acme.example")["CreateAccountStatus"][
            "AccountId"
        ]
        for n in ("web", "vault")
    ]
    return org, made[0], made[1]


def _point(account: str, vault: str = "local", **encryption: Any) -> str:
    """A recovery point of a new volume in the account's ``vault`` (both made here), backed up
    as the account's role ``OrgstackBackup`` (made once)."""
    backup = member(account, "backup")
    if vault not in {v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]}:
        backup.create_backup_vault(BackupVaultName=vault)
    iam = member(account, "iam")
    if not iam.list_roles()["Roles"] or "OrgstackBackup" not in {
        r["RoleName"] for r in iam.list_roles()["Roles"]
    }:
        iam.create_role(RoleName="OrgstackBackup", AssumeRolePolicyDocument=json.dumps(TRUST))
    volume = member(account, "ec2").create_volume(
        AvailabilityZone="eu-west-1a", Size=8, **encryption
    )["VolumeId"]
    return str(
        member(account, "backup").start_backup_job(
            BackupVaultName=vault,
            ResourceArn=f"arn:aws:ec2:eu-west-1:{account}:volume/{volume}",
            IamRoleArn=f"arn:aws:iam::{account}:role/OrgstackBackup",
        )["RecoveryPointArn"]
    )


def _copy(backup: Any, point: str, destination: str, days: int = 30) -> tuple[str, str]:
    job = backup.start_copy_job(
        RecoveryPointArn=point,
        SourceBackupVaultName="local",
        DestinationBackupVaultArn=destination,
        IamRoleArn="arn:aws:iam::111122223333:role/OrgstackBackup",
        Lifecycle={"DeleteAfterDays": days},
    )
    found = backup.describe_copy_job(CopyJobId=job["CopyJobId"])["CopyJob"]
    return found["State"], found.get("StatusMessage", "")


def test_copies_fail_as_aws_fails_them(orgs: Any) -> None:
    org, web, vault_account = _org(orgs)
    orgs.enable_aws_service_access(ServicePrincipal="backup.amazonaws.com")
    central = member(vault_account, "backup")
    central.create_backup_vault(BackupVaultName="central")
    arn = f"arn:aws:backup:eu-west-1:{vault_account}:backup-vault:central"
    source = member(web, "backup")
    point = _point(web)
    management = boto3.client("backup", region_name="eu-west-1")
    assert _copy(source, point, arn) == (
        "FAILED",
        "Cross-account backup is not enabled for the organization in this Region",
    )
    management.update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "true"})
    assert _copy(source, point, arn) == (
        "FAILED",
        f"Access denied: the access policy of {arn} does not allow the copy",
    )
    policy = json.dumps(ORG_ALLOWS).replace("{org}", org)
    central.put_backup_vault_access_policy(BackupVaultName="central", Policy=policy)
    central.put_backup_vault_lock_configuration(
        BackupVaultName="central", MinRetentionDays=7, MaxRetentionDays=365, ChangeableForDays=3
    )
    assert _copy(source, point, arn, days=3) == (
        "FAILED",
        "The retention of 3 days is outside the vault lock's 7-365 days",
    )
    assert _copy(source, point, arn) == ("COMPLETED", "")
    copies = central.list_recovery_points_by_backup_vault(BackupVaultName="central")
    assert [p["SourceBackupVaultArn"].split(":")[4] for p in copies["RecoveryPoints"]] == [web]


def test_recovery_points_are_deleted_only_where_aws_allows(orgs: Any) -> None:
    org, web, vault_account = _org(orgs)
    source = member(web, "backup")
    own = _point(web)
    source.delete_recovery_point(BackupVaultName="local", RecoveryPointArn=own)  # its own: fine
    assert (
        source.list_recovery_points_by_backup_vault(BackupVaultName="local")["RecoveryPoints"] == []
    )
    central = member(vault_account, "backup")
    kept = _point(vault_account, "central")
    with pytest.raises(ClientError) as other:
        source.delete_recovery_point(BackupVaultName="central", RecoveryPointArn=kept)
    assert other.value.response["Error"]["Code"] == "AccessDeniedException"
    central.put_backup_vault_access_policy(
        BackupVaultName="central", Policy=json.dumps(ORG_ALLOWS).replace("{org}", org)
    )
    with pytest.raises(ClientError) as denied:
        central.delete_recovery_point(BackupVaultName="central", RecoveryPointArn=kept)
    assert "explicit deny in a resource-based policy" in denied.value.response["Error"]["Message"]
    central.delete_backup_vault_access_policy(BackupVaultName="central")
    central.put_backup_vault_lock_configuration(BackupVaultName="central", MinRetentionDays=7)
    with pytest.raises(ClientError) as locked:
        central.delete_recovery_point(BackupVaultName="central", RecoveryPointArn=kept)
    assert locked.value.response["Error"]["Message"] == (
        f"Recovery point {kept} is protected by the vault lock of central for 7 days"
    )


def test_the_global_setting_needs_the_management_account_and_trusted_access(orgs: Any) -> None:
    _, web, _ = _org(orgs)
    management = boto3.client("backup", region_name="eu-west-1")
    with pytest.raises(ClientError) as untrusted:
        management.update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "true"})
    assert "Trusted access for backup.amazonaws.com is not enabled" in str(untrusted.value)
    orgs.enable_aws_service_access(ServicePrincipal="backup.amazonaws.com")
    with pytest.raises(ClientError) as member_account:
        member(web, "backup").update_global_settings(
            GlobalSettings={"isCrossAccountBackupEnabled": "true"}
        )
    assert "not an Organizations management account" in str(member_account.value)
    management.update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "true"})
    assert management.describe_global_settings()["GlobalSettings"] == {
        "isCrossAccountBackupEnabled": "true"
    }


def test_a_vault_is_deleted_only_when_empty_and_not_denied(orgs: Any) -> None:
    _, _, vault_account = _org(orgs)
    central = member(vault_account, "backup")
    kept = _point(vault_account, "central")
    with pytest.raises(ClientError) as full:
        central.delete_backup_vault(BackupVaultName="central")
    assert full.value.response["Error"]["Message"] == (
        "Backup vault cannot be deleted (contains 1 recovery points)"
    )
    central.delete_recovery_point(BackupVaultName="central", RecoveryPointArn=kept)
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "backup:DeleteBackupVault",
             "Resource": "*"}
        ],
    }  # fmt: skip
    central.put_backup_vault_access_policy(BackupVaultName="central", Policy=json.dumps(deny))
    with pytest.raises(ClientError) as denied:
        central.delete_backup_vault(BackupVaultName="central")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    central.delete_backup_vault_access_policy(BackupVaultName="central")
    central.delete_backup_vault(BackupVaultName="central")
    assert central.list_backup_vaults()["BackupVaultList"] == []


def test_a_copy_keeps_the_volume_key_and_leaves_only_with_a_shared_customer_key(
    orgs: Any,
) -> None:
    """EBS backups keep the volume's key (AWS Backup does not fully manage EBS): a copy into
    another account fails on AWS's own key (aws/ebs) and on a customer key its policy does not
    share, and succeeds with one it shares."""
    org, web, vault_account = _org(orgs)
    orgs.enable_aws_service_access(ServicePrincipal="backup.amazonaws.com")
    boto3.client("backup", region_name="eu-west-1").update_global_settings(
        GlobalSettings={"isCrossAccountBackupEnabled": "true"}
    )
    central = member(vault_account, "backup")
    central.create_backup_vault(BackupVaultName="central")
    central.put_backup_vault_access_policy(
        BackupVaultName="central", Policy=json.dumps(ORG_ALLOWS).replace("{org}", org)
    )
    arn = f"arn:aws:backup:eu-west-1:{vault_account}:backup-vault:central"
    source = member(web, "backup")
    kms = member(web, "kms")
    on_default = _point(web, Encrypted=True)
    default_key = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    point = source.describe_recovery_point(BackupVaultName="local", RecoveryPointArn=on_default)
    assert point["EncryptionKeyArn"] == default_key  # the volume's key, not the vault's
    state, message = _copy(source, on_default, arn)
    assert (state, message.split(" which ")[0]) == (
        "FAILED",
        "Copy job failed because the source recovery point is encrypted with the AWS managed "
        f"key {default_key},",
    )
    own = kms.create_key()["KeyMetadata"]
    private = _point(web, Encrypted=True, KmsKeyId=own["Arn"])
    assert _copy(source, private, arn)[0] == "FAILED"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{vault_account}:root"},
                "Action": ["kms:Decrypt", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
            }
        ],
    }
    kms.put_key_policy(KeyId=own["KeyId"], PolicyName="default", Policy=json.dumps(policy))
    assert _copy(source, private, arn) == ("COMPLETED", "")
