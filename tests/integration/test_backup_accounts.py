"""Backups on moto (with the sandbox's shims): the central vault (key, access policy, Vault Lock)
in the backup account, cross-account backup in the management account, the service role and
local vaults in the covered accounts, the organization backup policy; plan is empty
afterwards; a removed lock, a widened vault policy and a detached backup policy are drift and
the next apply restores them; a lock past its grace is immutable (pre-flight error); backup
status sees the copies the sandbox's scheduler makes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

SPEC = """\
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {}, Infrastructure: {}}
accounts:
  management: {purpose: management, ou: root}
  backup: {purpose: backup, ou: Infrastructure}
  web-prod: {purpose: workload, ou: Workloads, stage: prod}
backup:
  targets: [ou:Workloads]
  plans: {daily: {schedule: 'cron(0 5 ? * * *)', keep_days: 7, copy_keep_days: 35}}
  lock: {min_retention_days: 7, max_retention_days: 365, grace_days: 3}
"""
VAULT = "backup-vault:backup/eu-west-1/vault"
#: With the guardrail that keeps the break-glass role orgstack's (LZ218 asks for it).
GUARDED = SPEC + (
    "policies:\n  glass: {type: service_control, guardrails: [protect-break-glass-role], "
    "targets: [root]}\n"
)


def kind_changes(plan: Any) -> list[tuple[str, Action]]:
    prefixes = ("backup-vault:", "backup-account:", "backup-policy:", "trusted-access:")
    return [(c.address, c.action) for c in plan.changes if c.address.startswith(prefixes)]


def test_the_vaults_roles_and_policy_are_made_and_read_back(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert kind_changes(plan) == [
        ("backup-policy:orgstack-backup-plans", Action.CREATE),
        ("backup-policy:orgstack-backup-plans", Action.ATTACH),
        ("trusted-access:organization/backup.amazonaws.com", Action.CREATE),
        ("backup-vault:management/eu-west-1/settings", Action.CREATE),
        ("backup-vault:backup/eu-west-1/key", Action.CREATE),
        (VAULT, Action.CREATE),
        ("backup-account:backup/role", Action.CREATE),
        ("backup-account:web-prod/role", Action.CREATE),
        ("backup-account:web-prod/key/eu-west-1", Action.CREATE),
        ("backup-account:web-prod/vault/eu-west-1", Action.CREATE),
    ]
    assert [p.level for p in plan.preflight if "Vault Lock" in p.message] == ["warning"]
    assert apply_now(plan, data).ok
    ids = account_ids()
    backup = member(ids["backup"], "backup")
    vault = backup.describe_backup_vault(BackupVaultName="orgstack-central")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 7, 365)
    assert vault["LockDate"] > datetime.now(UTC) + timedelta(days=2)
    policy = json.loads(
        backup.get_backup_vault_access_policy(BackupVaultName="orgstack-central")["Policy"]
    )
    assert [s["Sid"] for s in policy["Statement"]] == [
        "CopiesFromTheOrganization",
        "OnlyBreakGlassDeletes",
        "OnlyBreakGlassAndOrgstackChangeTheVault",
    ]
    settings = boto3.client("backup", region_name="eu-west-1").describe_global_settings()
    assert settings["GlobalSettings"]["isCrossAccountBackupEnabled"] == "true"
    orgs = boto3.client("organizations", region_name="us-east-1")
    found = orgs.list_policies(Filter="BACKUP_POLICY")["Policies"]
    assert [p["Name"] for p in found] == ["orgstack-backup-plans"]
    content = json.loads(orgs.describe_policy(PolicyId=found[0]["Id"])["Policy"]["Content"])
    rule = content["plans"]["orgstack-daily-eu-west-1"]["rules"]["daily"]
    assert list(rule["copy_actions"]) == [
        f"arn:aws:backup:eu-west-1:{ids['backup']}:backup-vault:orgstack-central"
    ]
    targets = orgs.list_targets_for_policy(PolicyId=found[0]["Id"])["Targets"]
    assert [t["Name"] for t in targets] == ["Workloads"]
    iam = member(ids["web-prod"], "iam")
    attached = iam.list_attached_role_policies(RoleName="OrgstackBackup")["AttachedPolicies"]
    assert sorted(p["PolicyName"] for p in attached) == [
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForRestores",
    ]
    local = member(ids["web-prod"], "backup")
    local.describe_backup_vault(BackupVaultName="orgstack-local")
    back = json.loads(
        local.get_backup_vault_access_policy(BackupVaultName="orgstack-local")["Policy"]
    )
    assert back["Statement"][0]["Principal"] == {"AWS": [f"arn:aws:iam::{ids['backup']}:root"]}
    # The source key, shared with the backup account for copies (AWS managed keys never are).
    kms = member(ids["web-prod"], "kms")
    key = kms.describe_key(KeyId="alias/orgstack-backup-source")["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER"
    shared = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    assert shared["Statement"][1] == {
        "Sid": "BackupAccountCopies",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{ids['backup']}:root"]},
        "Action": [
            "kms:CreateGrant",
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
        ],
        "Resource": ["*"],
    }
    assert plan_now()[0].empty


def test_a_removed_lock_a_widened_policy_and_a_detached_policy_are_restored(
    aws: None, workdir: Path
) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(GUARDED)
    assert apply_now(*plan_now()).ok
    backup = member(account_ids()["backup"], "backup")
    backup.delete_backup_vault_lock_configuration(BackupVaultName="orgstack-central")
    widened = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "backup:*", "Resource": "*"}
        ],
    }
    backup.put_backup_vault_access_policy(
        BackupVaultName="orgstack-central", Policy=json.dumps(widened)
    )
    orgs = boto3.client("organizations", region_name="us-east-1")
    policy_id = orgs.list_policies(Filter="BACKUP_POLICY")["Policies"][0]["Id"]
    target = orgs.list_targets_for_policy(PolicyId=policy_id)["Targets"][0]["TargetId"]
    orgs.detach_policy(PolicyId=policy_id, TargetId=target)
    findings = api.audit("orgstack.yaml", FAST, ("LZ218",))[0].findings
    assert [f.message.split(";")[0].split(" of ")[0] for f in findings] == [
        "orgstack-central: not locked in compliance mode (Vault Lock)",
        "orgstack-central: a statement",
        "orgstack-central: nothing denies deleting recovery points to all but the break-glass "
        "role (an access policy Deny or an SCP at the root)",
    ]
    plan, data = plan_now()
    assert [(c.address, c.action, sorted(c.before or {})) for c in plan.changes] == [
        ("backup-policy:orgstack-backup-plans", Action.ATTACH, []),
        (VAULT, Action.UPDATE, ["lock", "policy"]),
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty
    assert api.audit("orgstack.yaml", FAST, ("LZ218",))[0].findings == ()


def test_a_lock_past_its_grace_cannot_change(aws: None, workdir: Path) -> None:
    from moto.backup.models import backup_backends

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    vault = backup_backends[account_ids()["backup"]]["eu-west-1"].vaults["orgstack-central"]
    vault.lock_date = (datetime.now(UTC) - timedelta(days=1)).timestamp()  # the grace is over
    assert plan_now()[0].empty
    (workdir / "orgstack.yaml").write_text(
        SPEC.replace("max_retention_days: 365", "max_retention_days: 400")
    )
    plan, _ = plan_now()
    errors = [(p.message, p.hint) for p in plan.preflight if p.level == "error"]
    assert errors == [
        (
            f"{VAULT}: the vault's lock is immutable since its grace period ended "
            "({'min_retention_days': 7, 'max_retention_days': 365, 'grace_days': 3}); AWS "
            "refuses to change it",
            "Set backup.lock back to what the vault has, plan and apply again.",
        )
    ]


def test_backup_status_sees_the_copies_and_the_failed_ones(aws: None, workdir: Path) -> None:
    from orgstack import api
    from orgstack.sandbox.backups import run_backups
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    member(ids["web-prod"], "ec2").create_volume(
        AvailabilityZone="eu-west-1a",
        Size=8,
        TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}
        ],
    )
    status, _ = api.backup_status("orgstack.yaml", FAST)
    assert [(a.account, a.status, a.tagged_resources) for a in status.accounts] == [
        ("web-prod", "no-copy", 1)
    ]
    runs = run_backups()
    assert [(r.account, [c[1] for c in r.copies]) for r in runs] == [
        (ids["web-prod"], ["COMPLETED"])
    ]
    status, _ = api.backup_status("orgstack.yaml", FAST)
    found = status.to_json()["accounts"][0]
    assert (found["status"], found["copies_in_window"], found["failed_copy_jobs"]) == ("ok", 1, [])
    assert status.attention == []
    boto3.client("backup", region_name="eu-west-1").update_global_settings(
        GlobalSettings={"isCrossAccountBackupEnabled": "false"}
    )
    assert [c[1:] for r in run_backups() for c in r.copies] == [
        ("FAILED", "Cross-account backup is not enabled for the organization in this Region")
    ]
    status, _ = api.backup_status("orgstack.yaml", FAST)
    assert status.accounts[0].status == "copy-failed"
    assert status.accounts[0].failed_copy_jobs[0]["message"] == (
        "Cross-account backup is not enabled for the organization in this Region"
    )


def test_plain_moto_lacks_what_the_backup_shim_adds() -> None:
    script = """
import boto3
import pytest
from moto import mock_aws
with mock_aws():
    b = boto3.client("backup", region_name="us-east-1")
    b.create_backup_vault(BackupVaultName="v")
    for call, kwargs in (
        ("get_backup_vault_access_policy", {"BackupVaultName": "v"}),
        ("describe_global_settings", {}),
        ("list_recovery_points_by_backup_vault", {"BackupVaultName": "v"}),
        ("list_copy_jobs", {}),
    ):
        try:
            getattr(b, call)(**kwargs)
            print(call, "answered")
        except Exception as e:
            print(call, "missing")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "get_backup_vault_access_policy", "missing", "describe_global_settings", "missing",
        "list_recovery_points_by_backup_vault", "missing", "list_copy_jobs", "missing",
    ]  # fmt: skip


def test_backup_status_prints_each_account_and_exits_1_on_attention(
    aws: None, workdir: Path, capsys: Any
) -> None:
    from orgstack.cli import main

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    member(account_ids()["web-prod"], "ec2").create_volume(
        AvailabilityZone="eu-west-1a",
        Size=8,
        TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}
        ],
    )
    capsys.readouterr()
    assert main(["backup", "status"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Central vault orgstack-central in backup (eu-west-1), last 24 hours:",
        "  web-prod  no-copy          tagged   1  copies   0  newest copy never",
        "1 of 1 accounts need attention.",
    ]


def test_backup_status_without_a_backup_section_says_what_to_do(
    aws: None, workdir: Path, capsys: Any
) -> None:
    from orgstack.cli import main

    (workdir / "orgstack.yaml").write_text(SPEC.split("backup:\n  targets", maxsplit=1)[0])
    assert main(["backup", "status"]) == 1
    err = capsys.readouterr().err
    assert "the spec has no backup: section; there is no central vault to report on" in err
    assert "Add backup: (see docs/backup.md), plan and apply." in err


@pytest.mark.parametrize("phase", ["start", "created", "called"])
def test_a_crash_at_every_backup_change_resumes_and_converges(
    phase: str, aws: None, workdir: Path
) -> None:
    import uuid

    from tests.integration.test_apply import Crash, crash_at, reset_moto

    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    backups = [i for i, c in enumerate(plan.changes) if c.address.startswith(
        ("backup-vault:", "backup-account:", "backup-policy:")
    )]  # fmt: skip
    assert len(backups) == 9
    for index in backups:
        reset_moto()
        fresh = dict(data, plan_id=uuid.uuid4().hex)
        try:
            result = apply_now(plan, fresh, checkpoint=crash_at(index, phase))
        except Crash:  # not every change has a "created" step: those ran to the end
            result = apply_now(plan, fresh, resume=True)
        assert result.ok, (index, {i: e.message for i, e in result.outcome.failed.items()})
        assert plan_now()[0].empty, (index, plan.changes[index].address)
        orgs = boto3.client("organizations", region_name="us-east-1")
        assert len(orgs.list_policies(Filter="BACKUP_POLICY")["Policies"]) == 1


def test_a_plan_made_before_the_vault_changed_is_refused(aws: None, workdir: Path) -> None:
    from orgstack.apply.context import ApplyError

    (workdir / "orgstack.yaml").write_text(GUARDED)
    assert apply_now(*plan_now()).ok
    backup = member(account_ids()["backup"], "backup")
    backup.delete_backup_vault_lock_configuration(BackupVaultName="orgstack-central")
    plan, data = plan_now()
    assert [c.address for c in plan.changes] == [VAULT]
    backup.put_backup_vault_access_policy(BackupVaultName="orgstack-central", Policy="{}")
    with pytest.raises(ApplyError) as stale:
        apply_now(plan, data)
    assert str(stale.value).startswith("the plan is stale: AWS changed since it was made")
    assert VAULT in str(stale.value)


def tagged_volume(account_id: str, **encryption: Any) -> str:
    volume = member(account_id, "ec2").create_volume(
        AvailabilityZone="eu-west-1a",
        Size=8,
        TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}
        ],
        **encryption,
    )
    return f"arn:aws:ec2:eu-west-1:{account_id}:volume/{volume['VolumeId']}"


def test_copies_of_volumes_on_aws_managed_or_unshared_keys_fail_and_are_named(
    aws: None, workdir: Path
) -> None:
    """AWS copies an EBS backup into another account only when a customer managed key
    shared with it encrypts the volume: the sandbox fails the others as AWS does, and
    backup status and audit (LZ219) name them before any copy is tried."""
    from orgstack import api
    from orgstack.sandbox.backups import run_backups
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    prod = ids["web-prod"]
    kms = member(prod, "kms")
    default = tagged_volume(prod, Encrypted=True)  # the account's default: aws/ebs
    aws_ebs = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]
    assert aws_ebs["KeyManager"] == "AWS"
    shared = tagged_volume(prod, Encrypted=True, KmsKeyId="alias/orgstack-backup-source")
    private = kms.create_key(Description="a team's own key")["KeyMetadata"]
    unshared = tagged_volume(prod, Encrypted=True, KmsKeyId=private["Arn"])
    plain = tagged_volume(prod)  # not encrypted: copies as it is

    status, _ = api.backup_status("orgstack.yaml", FAST)
    found = status.accounts[0]
    assert (found.status, found.tagged_resources) == ("copy-impossible", 4)
    assert [(s["resource"], s["why"]) for s in found.unshareable] == sorted(
        [
            (
                default,
                "encrypted with an AWS managed key, which AWS never shares with another account",
            ),
            (
                unshared,
                f"the key's policy does not share it with the backup account {ids['backup']}",
            ),
        ]
    )
    findings = api.audit("orgstack.yaml", FAST, ("LZ219",))[0].findings
    assert sorted((f.address, f.message.split(": ", 1)[0]) for f in findings) == sorted(
        ("backup-inspection:web-prod", f"{v} (eu-west-1) cannot be copied to the backup account")
        for v in (default, unshared)
    )
    copies = {r.resource: r.copies[0][1:] for r in run_backups()}
    assert copies[shared] == ("COMPLETED", "")
    assert copies[plain] == ("COMPLETED", "")
    assert copies[default] == (
        "FAILED",
        f"Copy job failed because the source recovery point is encrypted with the AWS managed "
        f"key {aws_ebs['Arn']}, which cannot be shared with another account; encrypt the "
        "resource with a customer managed key shared with the destination account",
    )
    assert copies[unshared] == (
        "FAILED",
        f"Copy job failed because the destination account {ids['backup']} cannot use the KMS "
        f"key {private['Arn']} of the source recovery point; share the key with it in its key "
        "policy",
    )


def test_an_account_made_by_hand_in_a_targeted_ou_is_named(aws: None, workdir: Path) -> None:
    """The backup policy reaches every account below its OU, the spec's or not; one without
    the role and the vault has every job fail: backup status and audit (LZ220) say so."""
    from orgstack import api
    from orgstack.sandbox.backups import run_backups
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    orgs = boto3.client("organizations", region_name="us-east-1")
    stray = orgs.create_account(AccountName="stray", Email="stray@acme.example")[
        "CreateAccountStatus"
    ]["AccountId"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    workloads = next(
        o["Id"]
        for o in orgs.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
        if o["Name"] == "Workloads"
    )
    orgs.move_account(AccountId=stray, SourceParentId=root, DestinationParentId=workloads)
    volume = tagged_volume(stray)
    runs = [r for r in run_backups() if r.account == stray]
    assert [(r.resource, r.recovery_point, r.message) for r in runs] == [
        (volume, None, "Backup vault orgstack-local not found")
    ]
    status, _ = api.backup_status("orgstack.yaml", FAST)
    found = {a.account: a for a in status.accounts}["stray"]
    assert (found.in_spec, found.role, found.vaults_missing, found.status) == (
        False, False, ["eu-west-1"], "not-ready",
    )  # fmt: skip
    findings = api.audit("orgstack.yaml", FAST, ("LZ220",))[0].findings
    assert [(f.address, f.message) for f in findings] == [
        (
            "backup-inspection:stray",
            f"stray ({stray}), not in the spec, is covered by the backup policy but lacks the "
            "role OrgstackBackup and the vault orgstack-local in eu-west-1: its backup jobs fail",
        )
    ]


def test_a_deleted_backup_role_fails_every_job_and_is_named(aws: None, workdir: Path) -> None:
    """An admin of the workload account deletes the role the policy's jobs run as: every
    backup fails (the sandbox records the failed job as AWS does), and status says why."""
    from orgstack import api
    from orgstack.sandbox.backups import run_backups
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    prod = account_ids()["web-prod"]
    iam = member(prod, "iam")
    for policy in iam.list_attached_role_policies(RoleName="OrgstackBackup")["AttachedPolicies"]:
        iam.detach_role_policy(RoleName="OrgstackBackup", PolicyArn=policy["PolicyArn"])
    iam.delete_role(RoleName="OrgstackBackup")
    tagged_volume(prod)
    message = (
        f"IAM Role arn:aws:iam::{prod}:role/OrgstackBackup does not exist or cannot be "
        "assumed by AWS Backup"
    )
    assert [(r.recovery_point, r.message) for r in run_backups()] == [(None, message)]
    status, _ = api.backup_status("orgstack.yaml", FAST)
    found = status.accounts[0]
    assert (found.role, found.status) == (False, "not-ready")
    assert [j["message"] for j in found.failed_backup_jobs] == [message]
    assert [f.message for f in api.audit("orgstack.yaml", FAST, ("LZ220",))[0].findings] == [
        f"web-prod ({prod}) is covered by the backup policy but lacks the role OrgstackBackup: "
        "its backup jobs fail"
    ]


def test_plain_moto_makes_the_default_ebs_key_a_customer_key() -> None:
    """Why the encryption shim marks it: on AWS, aws/ebs is AWS managed."""
    script = """
import boto3
from moto import mock_aws
with mock_aws():
    boto3.client("ec2", region_name="us-east-1").create_volume(
        AvailabilityZone="us-east-1a", Size=8, Encrypted=True)
    kms = boto3.client("kms", region_name="us-east-1")
    print(kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyManager"])
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["CUSTOMER"]
