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
    assert plan_now()[0].empty


def test_a_removed_lock_a_widened_policy_and_a_detached_policy_are_restored(
    aws: None, workdir: Path
) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
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
        "  web-prod  no-copy         tagged   1  copies   0  newest copy never",
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
    assert len(backups) == 8
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

    (workdir / "orgstack.yaml").write_text(SPEC)
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
