"""The seed's scenario, as a user runs it on the sandbox server with IAM enforcement: the
standard blueprint applied; a volume on AWS's own EBS key named as one whose copies cannot
leave (and its copy failing, as on AWS); a workload's tagged volume, encrypted with the
account's source key, backed up and copied into the backup account; then an attacker with the workload account's admin-like role deletes the volume and
the account's own backups, and fails on everything that would reach the central copies; the
copy survives and `backup status` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_sandbox import boto3_in_clean_env, exports, orgstack

pytestmark = pytest.mark.e2e

SESSION = """
import json, boto3
from botocore.exceptions import ClientError
o = boto3.client("organizations")
ids = {a["Name"]: a["Id"] for a in o.list_accounts()["Accounts"]}
def session(account, role="OrganizationAccountAccessRole", base=None):
    sts = (base or boto3.Session()).client("sts")
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}",
                        RoleSessionName="actor")["Credentials"]
    return boto3.Session(aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
def refused(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "allowed"
"""
PREPARE = (
    SESSION
    + """
prod = session(ids["app-prod"])
iam = prod.client("iam")
iam.create_role(RoleName="app-admin", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
    "Principal": {"AWS": f"arn:aws:iam::{ids['app-prod']}:root"}}]}))
iam.attach_role_policy(RoleName="app-admin",
                       PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
prod.client("ec2").create_volume(AvailabilityZone="us-east-1a", Size=8, TagSpecifications=[
    {"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}],
    Encrypted=True, KmsKeyId="alias/orgstack-backup-source")
print("prepared")
"""
)
#: A volume on the account's default key (aws/ebs, AWS managed): its copies could never leave.
DEFAULT_KEY = (
    SESSION
    + """
ec2 = session(ids["app-dev"]).client("ec2")
volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=True,
    TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}])
print(volume["VolumeId"])
"""
)
REMOVE = (
    SESSION
    + """
import sys
session(ids["app-dev"]).client("ec2").delete_volume(VolumeId=sys.argv[1])
"""
)
ATTACK = (
    SESSION
    + """
attacker = session(ids["app-prod"], "app-admin", base=session(ids["app-prod"]))
ec2, backup = attacker.client("ec2"), attacker.client("backup")
for volume in ec2.describe_volumes()["Volumes"]:
    ec2.delete_volume(VolumeId=volume["VolumeId"])
own = backup.list_recovery_points_by_backup_vault(BackupVaultName="orgstack-local")["RecoveryPoints"]
for point in own:
    backup.delete_recovery_point(BackupVaultName="orgstack-local",
                                 RecoveryPointArn=point["RecoveryPointArn"])
central_admin = session(ids["backup"]).client("backup")
copies = central_admin.list_recovery_points_by_backup_vault(
    BackupVaultName="orgstack-central")["RecoveryPoints"]
copy = copies[0]["RecoveryPointArn"]
found = {
    "own_deleted": len(own),
    "own_left": len(backup.list_recovery_points_by_backup_vault(
        BackupVaultName="orgstack-local")["RecoveryPoints"]),
    "central_by_arn": refused(lambda: backup.delete_recovery_point(
        BackupVaultName="orgstack-central", RecoveryPointArn=copy)),
    "into_backup_account": refused(lambda: session(ids["backup"], base=attacker)),
    "backup_admin_delete": refused(lambda: central_admin.delete_recovery_point(
        BackupVaultName="orgstack-central", RecoveryPointArn=copy)),
    "copies_left": len(central_admin.list_recovery_points_by_backup_vault(
        BackupVaultName="orgstack-central")["RecoveryPoints"]),
    "source": copies[0]["SourceBackupVaultArn"].split(":")[4] == ids["app-prod"],
}
print(json.dumps(found))
"""
)
TAMPER = (
    SESSION
    + """
central = session(ids["backup"]).client("backup")
central.delete_backup_vault_lock_configuration(BackupVaultName="orgstack-central")
central.put_backup_vault_access_policy(BackupVaultName="orgstack-central", Policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
    "Action": "backup:*", "Resource": "*"}]}))
policy = o.list_policies(Filter="BACKUP_POLICY")["Policies"][0]["Id"]
target = o.list_targets_for_policy(PolicyId=policy)["Targets"][0]["TargetId"]
o.detach_policy(PolicyId=policy, TargetId=target)
print("tampered")
"""
)
RESTORE = (
    SESSION
    + """
central = session(ids["backup"]).client("backup")
copy = central.list_recovery_points_by_backup_vault(
    BackupVaultName="orgstack-central")["RecoveryPoints"][0]
job = central.start_copy_job(
    RecoveryPointArn=copy["RecoveryPointArn"], SourceBackupVaultName="orgstack-central",
    DestinationBackupVaultArn=copy["SourceBackupVaultArn"],
    IamRoleArn=f"arn:aws:iam::{ids['backup']}:role/OrgstackBackup")
state = central.describe_copy_job(CopyJobId=job["CopyJobId"])["CopyJob"]["State"]
back = session(ids["app-prod"]).client("backup").list_recovery_points_by_backup_vault(
    BackupVaultName="orgstack-local")["RecoveryPoints"]
print(json.dumps([state, [p["ResourceArn"] == copy["ResourceArn"] for p in back]]))
"""
)


def _a_volume_on_aws_own_key_is_named_and_its_copy_fails(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A volume on AWS's own key: named before any copy is tried, and its copy fails."""
    made = boto3_in_clean_env(env, DEFAULT_KEY)
    assert made.returncode == 0, made.stderr
    volume = made.stdout.strip()
    stuck = orgstack(tmp_path, "backup", "status", "--sandbox", "--format", "json")
    assert stuck.returncode == 1
    dev = {a["account"]: a for a in json.loads(stuck.stdout)["accounts"]}["app-dev"]
    assert dev["status"] == "copy-impossible"
    assert [u["resource"].endswith(volume) for u in dev["unshareable"]] == [True]
    audited = orgstack(tmp_path, "audit", "--sandbox", "--select", "LZ219")
    assert audited.returncode == 1 and f"{volume} (us-east-1) cannot be copied" in audited.stdout
    failed = orgstack(tmp_path, "sandbox", "run-backups")
    assert failed.returncode == 1 and "encrypted with the AWS managed key" in failed.stdout
    removed = boto3_in_clean_env(env, REMOVE, volume)
    assert removed.returncode == 0, removed.stderr


def test_only_the_central_copy_survives_a_compromised_workload_account(tmp_path: Path) -> None:
    try:
        started = orgstack(tmp_path, "sandbox", "start", "--enforce-iam")
        assert started.returncode == 0, started.stderr
        env = exports(started.stdout)
        assert orgstack(tmp_path, "init", "--blueprint", "standard").returncode == 0
        planned = orgstack(tmp_path, "plan", "--sandbox", "-o", "plan.json")
        assert planned.returncode == 0, planned.stderr
        assert "Vault Lock in compliance mode" in planned.stdout + planned.stderr
        applied = orgstack(tmp_path, "apply", "plan.json", "--sandbox")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        again = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr

        tampered = boto3_in_clean_env(env, TAMPER)
        assert tampered.returncode == 0, tampered.stderr
        drift = orgstack(tmp_path, "drift", "--sandbox")
        assert drift.returncode == 0, drift.stdout + drift.stderr
        assert drift.stdout.splitlines()[-1] == "3 differences."
        assert "backup-policy:orgstack-backup-plans: attachment" in drift.stdout
        assert "backup-vault:backup/us-east-1/vault: lock" in drift.stdout
        assert "backup-vault:backup/us-east-1/vault: policy" in drift.stdout
        fix = orgstack(tmp_path, "plan", "--sandbox", "-o", "restore.json")
        lines = [" ".join(line.split()) for line in fix.stdout.splitlines()]
        for line in (
            "+ backup-policy:orgstack-backup-plans attach → ou:Workloads",
            "~ us-east-1/vault update restores lock, policy in us-east-1",
            "Plan: 1 to update, 1 to attach.",
        ):
            assert line in lines, fix.stdout
        restored = orgstack(tmp_path, "apply", "restore.json", "--sandbox")
        assert restored.returncode == 0, restored.stdout + restored.stderr
        final = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert final.returncode == 0, final.stdout + final.stderr

        _a_volume_on_aws_own_key_is_named_and_its_copy_fails(tmp_path, env)
        prepared = boto3_in_clean_env(env, PREPARE)
        assert prepared.returncode == 0, prepared.stderr
        before = orgstack(tmp_path, "backup", "status", "--sandbox", "--format", "json")
        assert before.returncode == 1  # a tagged volume and no copy yet: attention
        ran = orgstack(tmp_path, "sandbox", "run-backups")
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "copy → arn:aws:backup:us-east-1:" in ran.stdout and "COMPLETED" in ran.stdout

        attacked = boto3_in_clean_env(env, ATTACK)
        assert attacked.returncode == 0, attacked.stderr
        assert json.loads(attacked.stdout) == {
            "own_deleted": 1,
            "own_left": 0,
            "central_by_arn": "AccessDeniedException",
            "into_backup_account": "AccessDenied",
            "backup_admin_delete": "AccessDeniedException",
            "copies_left": 1,
            "source": True,
        }
        status = orgstack(tmp_path, "backup", "status", "--sandbox", "--format", "json")
        assert status.returncode == 1, status.stdout + status.stderr  # app-dev's failed copy
        accounts = {a["account"]: a for a in json.loads(status.stdout)["accounts"]}
        assert accounts["app-dev"]["status"] == "copy-failed"
        assert (accounts["app-prod"]["status"], accounts["app-prod"]["copies_in_window"]) == (
            "ok",
            1,
        )
        assert accounts["app-prod"]["tagged_resources"] == 0  # the volume is gone; its copy is not
        restored = boto3_in_clean_env(env, RESTORE)  # the drill: copy back, then restore there
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout) == ["COMPLETED", [True]]
    finally:
        orgstack(tmp_path, "sandbox", "stop")
