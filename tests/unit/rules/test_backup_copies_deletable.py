"""LZ218 backup-copies-deletable: judged on the vault as audit reads it."""

from dataclasses import replace
from pathlib import Path
from typing import Any

from orgstack.kinds.backup_vault.desired import desired
from orgstack.model import OrgModel
from tests.unit.rules.helpers import load, run_model, spec

SPEC = spec(
    """\
organizational_units: {Workloads: {}}
accounts:
  management: {purpose: management, ou: root}
  vault: {purpose: backup, ou: root, id: '111122223333'}
  web-prod: {purpose: workload, ou: Workloads, stage: prod}
backup:
  targets: [ou:Workloads]
  plans: {daily: {schedule: 'cron(0 5 ? * * *)', keep_days: 7, copy_keep_days: 35}}
"""
)
ALONE = SPEC
SPEC = SPEC + (
    "policies:\n  glass: {type: service_control, guardrails: [protect-break-glass-role], "
    "targets: [root]}\n"
)
VAULT = "backup-vault:vault/eu-west-1/vault"


def audited(tmp_path: Path, **changes: Any) -> OrgModel:
    """The model with the vault's values as if read from AWS, ``changes`` set on the vault."""
    model = load(tmp_path, SPEC)
    values = desired(model, {"account:vault": "111122223333", "organization": "o-abc"})
    values[VAULT] = {**values[VAULT], **changes}
    return replace(model, live_resources=values)


def test_the_vault_orgstack_makes_passes(tmp_path: Path) -> None:
    assert run_model("LZ218", load(tmp_path, SPEC)) == []
    assert run_model("LZ218", audited(tmp_path)) == []


def test_a_vault_without_a_compliance_lock_fails(tmp_path: Path) -> None:
    governance = {"min_retention_days": 7, "max_retention_days": 3650, "grace_days": None}
    expected = [
        (
            VAULT,
            "orgstack-central: not locked in compliance mode (Vault Lock); the backup "
            "account's principals can delete its copies",
        )
    ]
    assert run_model("LZ218", audited(tmp_path, lock=None)) == expected
    assert run_model("LZ218", audited(tmp_path, lock=governance)) == expected


def test_a_widened_access_policy_fails(tmp_path: Path) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Everything",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "backup:*",
                "Resource": "*",
            }
        ],
    }
    assert run_model("LZ218", audited(tmp_path, policy=policy)) == [
        (
            VAULT,
            "orgstack-central: Everything of the access policy allows backup:DeleteBackupVault, "
            "backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle, "
            "backup:DeleteBackupVaultAccessPolicy, backup:DeleteBackupVaultLockConfiguration, "
            "backup:PutBackupVaultAccessPolicy to principals of accounts",
        ),
        (
            VAULT,
            "orgstack-central: nothing denies deleting recovery points to all but the "
            "break-glass role (an access policy Deny or an SCP at the root)",
        ),
    ]


def test_a_deny_at_the_root_is_enough_without_one_in_the_vault(tmp_path: Path) -> None:
    text = SPEC + (
        "  keep-copies:\n    type: service_control\n    targets: [root]\n"
        "    content: {Version: '2012-10-17', Statement: [{Effect: Deny, "
        "Action: 'backup:DeleteRecoveryPoint', Resource: '*', Condition: {ArnNotLike: "
        "{'aws:PrincipalArn': 'arn:aws:iam::*:role/OrgstackBreakGlass'}}}]}\n"
    )
    model = load(tmp_path, text)
    values = desired(model, {"account:vault": "111122223333"})
    statements = values[VAULT]["policy"]["Statement"]
    values[VAULT] = {**values[VAULT], "policy": {"Statement": statements[:1]}}
    assert run_model("LZ218", replace(model, live_resources=values)) == []


def test_without_the_break_glass_guardrail_anyone_can_make_the_exempt_role(
    tmp_path: Path,
) -> None:
    assert run_model("LZ218", load(tmp_path, ALONE)) == [
        (
            "account:vault",
            "the break-glass role OrgstackBreakGlass, which every log and backup guardrail "
            "exempts, can be made or re-trusted by any account's administrator: no SCP at the "
            "root denies iam:AttachRolePolicy, iam:CreateRole, iam:PutRolePolicy, "
            "iam:UpdateAssumeRolePolicy on it to all but OrganizationAccountAccessRole "
            "(protect-break-glass-role)",
        )
    ]


def test_a_vault_key_the_backup_admins_can_destroy_fails(tmp_path: Path) -> None:
    model = load(tmp_path, SPEC)
    values = desired(model, {"account:vault": "111122223333", "organization": "o-abc"})
    key = next(a for a in values if a.endswith("/key"))
    statements = values[key]["policy"]["Statement"]
    kept = [s for s in statements if s.get("Effect") != "Deny"]
    values[key] = {**values[key], "policy": {**values[key]["policy"], "Statement": kept}}
    assert run_model("LZ218", replace(model, live_resources=values)) == [
        (
            "account:vault",
            f"{values[key]['alias']}: its key policy lets the account's administrators call "
            "kms:DeleteAlias, kms:DisableKey, kms:DisableKeyRotation, kms:ScheduleKeyDeletion, "
            "kms:PutKeyPolicy, kms:UpdateAlias (deny them to all but the break-glass role: the "
            "data it encrypts becomes unreadable)",
        )
    ]
