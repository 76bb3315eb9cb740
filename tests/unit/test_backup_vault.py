"""The backup: section compiled: its checks (exact messages), the organization backup policy it
adds, the central vaults' values, and the plan's warning about Vault Lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.kinds.backup_vault.desired import desired
from orgstack.kinds.backup_vault.render import detail, warning
from orgstack.kinds.organization.diff import diff
from orgstack.plan.model import Action, Change
from orgstack.spec.loader import load_spec

SPEC = """\
organization:
  name: acme
  home_region: eu-west-1
  allowed_regions: [eu-west-1, eu-central-1]
  email_pattern: aws+{account}@acme.example
organizational_units: {Workloads: {children: {Prod: {}}}, Infrastructure: {}}
accounts:
  management: {purpose: management, ou: root}
  vault: {purpose: backup, ou: Infrastructure}
  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}
backup:
  targets: [ou:Workloads]
  plans:
    daily: {schedule: 'cron(0 5 ? * * *)', keep_days: 7, copy_keep_days: 35}
"""


def load(tmp_path: Path, text: str = SPEC) -> object:
    path = tmp_path / "orgstack.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecError) as error:
        load(tmp_path, text)
    return [f"{p.line}:{p.column}: {p.message}" for p in error.value.problems]


def test_the_section_covers_the_accounts_below_its_targets(tmp_path: Path) -> None:
    model = load(tmp_path)
    section = model.sections["backup"]  # type: ignore[attr-defined]
    assert (section["account"], section["regions"], section["accounts"]) == (
        "vault",
        ["eu-west-1", "eu-central-1"],
        ["web-prod"],
    )


def test_the_backup_policy_copies_each_region_into_its_central_vault(tmp_path: Path) -> None:
    model = load(tmp_path)
    policy = next(p for p in model.policies if p.address == "backup-policy:orgstack-backup-plans")  # type: ignore[attr-defined]
    assert [t.address for t in policy.targets] == ["ou:Workloads"]
    plans = json.loads(policy.content)["plans"]
    assert sorted(plans) == ["orgstack-daily-eu-central-1", "orgstack-daily-eu-west-1"]
    rule = plans["orgstack-daily-eu-west-1"]["rules"]["daily"]
    vault = "arn:aws:backup:eu-west-1:{account:vault}:backup-vault:orgstack-central"
    assert rule["copy_actions"] == {
        vault: {
            "target_backup_vault_arn": {"@@assign": vault},
            "lifecycle": {"delete_after_days": {"@@assign": "35"}},
        }
    }
    assert rule["target_backup_vault_name"] == {"@@assign": "orgstack-local"}
    assert plans["orgstack-daily-eu-west-1"]["selections"]["tags"]["daily"] == {
        "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/OrgstackBackup"},
        "tag_key": {"@@assign": "backup"},
        "tag_value": {"@@assign": ["daily"]},
    }


def test_the_plan_places_the_backup_accounts_id_once_it_is_known(tmp_path: Path) -> None:
    model = load(tmp_path)
    plan = diff(model, None)  # type: ignore[arg-type]
    created = next(c for c in plan.changes if c.address == "backup-policy:orgstack-backup-plans")
    assert "{account:vault}" in json.dumps(created.after)
    enable = [c.address for c in plan.changes if c.action == Action.ENABLE]
    assert "policy-type:BACKUP_POLICY" in enable


def test_the_vault_is_locked_and_takes_copies_from_the_organization_only(tmp_path: Path) -> None:
    model = load(tmp_path)
    values = desired(model, {"account:vault": "111122223333", "organization": "o-abc"})  # type: ignore[arg-type]
    assert sorted(values) == [
        "backup-vault:management/eu-central-1/settings",
        "backup-vault:management/eu-west-1/settings",
        "backup-vault:vault/eu-central-1/key",
        "backup-vault:vault/eu-central-1/vault",
        "backup-vault:vault/eu-west-1/key",
        "backup-vault:vault/eu-west-1/vault",
    ]
    vault = values["backup-vault:vault/eu-west-1/vault"]
    assert vault["lock"] == {"min_retention_days": 7, "max_retention_days": 3650, "grace_days": 3}
    allow, deletes, loosening = vault["policy"]["Statement"]
    assert allow["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ["o-abc"]}}
    assert allow["Action"] == ["backup:CopyIntoBackupVault"]
    assert deletes["Effect"] == "Deny" and "backup:DeleteRecoveryPoint" in deletes["Action"]
    assert loosening["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == [
        "arn:aws:iam::*:role/OrganizationAccountAccessRole",
        "arn:aws:iam::*:role/OrgstackBreakGlass",
    ]
    _admin, destroy, change, key = values["backup-vault:vault/eu-west-1/key"]["policy"]["Statement"]
    assert key["Condition"]["StringEquals"]["kms:ViaService"] == ["backup.eu-west-1.amazonaws.com"]
    assert (destroy["Effect"], destroy["Action"], destroy["Condition"]) == (
        "Deny",
        ["kms:DeleteAlias", "kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion"],
        {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:role/OrgstackBreakGlass"]}},
    )
    assert (change["Effect"], change["Action"], change["Condition"]) == (
        "Deny",
        ["kms:PutKeyPolicy", "kms:UpdateAlias"],
        {
            "ArnNotLike": {
                "aws:PrincipalArn": [
                    "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole",
                    "arn:aws:iam::111122223333:role/OrgstackBreakGlass",
                ]
            }
        },
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("  targets: [ou:Workloads]", "  targets: [ou:Workload, ou:Infrastructure]"),
        ("copy_keep_days: 35", "copy_keep_days: 3"),
        ("keep_days: 7,", "keep_days: 7, copy_region: us-west-2,"),
        ("  targets: [ou:Workloads]", "  targets: [ou:Workloads]\n  service_role: orgstack-Backup"),
        (
            "  targets: [ou:Workloads]",
            "  targets: [ou:Workloads]\n  lock: {min_retention_days: 90, max_retention_days: 30}",
        ),
    ],
)
def test_bad_sections_are_refused_precisely(tmp_path: Path, change: str, expected: str) -> None:
    found = problems(tmp_path, SPEC.replace(change, expected))
    assert (
        found
        == {
            "  targets: [ou:Workload, ou:Infrastructure]": [
                "12:13: backup.targets: no OU 'Workload' (did you mean 'Workloads'?)",
            ],
            "copy_keep_days: 3": [
                "14:74: backup.plans.daily.copy_keep_days: 3 is outside the vault lock's 7 to 3650 "
                "days; AWS Backup would fail every copy",
            ],
            "keep_days: 7, copy_region: us-west-2,": [
                "14:71: backup.plans.daily.copy_region: no central vault in us-west-2; use one of "
                "eu-west-1, eu-central-1",
            ],
            "  targets: [ou:Workloads]\n  service_role: orgstack-Backup": [
                "13:17: backup.service_role: names starting orgstack- belong to the access matrix "
                "(it revokes roles it does not know); choose another, e.g. OrgstackBackup",
            ],
            "  targets: [ou:Workloads]\n  lock: {min_retention_days: 90, max_retention_days: 30}": [
                "13:30: backup.lock.min_retention_days: 90 is above max_retention_days (30)",
                "15:74: backup.plans.daily.copy_keep_days: 35 is outside the vault lock's 90 to 30 "
                "days; AWS Backup would fail every copy",
            ],
        }[expected]
    )


def test_targets_covering_the_backup_account_are_refused(tmp_path: Path) -> None:
    text = SPEC.replace("targets: [ou:Workloads]", "targets: [ou:Workloads, account:vault]")
    assert problems(tmp_path, text) == [
        "12:3: backup.targets: they cover the backup account vault; its backups would be "
        "copied into itself (target the workload OUs)"
    ]


def test_a_declared_policy_of_the_same_name_is_refused(tmp_path: Path) -> None:
    text = SPEC + (
        "policies:\n  orgstack-backup-plans:\n    type: backup\n    targets: [root]\n"
        "    content: {plans: {}}\n"
    )
    assert problems(tmp_path, text) == [
        "11:1: backup: adds the backup policy 'orgstack-backup-plans', which "
        "policies.orgstack-backup-plans declares too; rename one (backup.policy names the "
        "section's)"
    ]


def test_the_plan_warns_before_a_lock_and_not_after() -> None:
    after = {
        "name": "orgstack-central",
        "lock": {"min_retention_days": 7, "max_retention_days": 3650, "grace_days": 3},
        "region": "eu-west-1",
    }
    create = Change("backup-vault:vault/eu-west-1/vault", Action.CREATE, None, after, "")
    message, hint = warning(create) or ("", "")
    assert message == (
        "backup-vault:vault/eu-west-1/vault: Vault Lock in compliance mode; 3 days after this "
        "apply no one (not the root user, not AWS) can remove the lock or keep recovery points "
        "for less than 7 or more than 3650 days"
    )
    assert hint.startswith("Check backup.lock now")
    policy_only = Change(create.address, Action.UPDATE, {"policy": {}}, after, "")
    assert warning(policy_only) is None
    assert detail(policy_only) == "restores policy in eu-west-1"
    assert detail(create) == (
        "eu-west-1: orgstack-central, copies from the organization only, deletes denied, "
        "Vault Lock compliance 7-3650 days"
    )


def test_with_a_copy_region_one_plan_covers_every_region(tmp_path: Path) -> None:
    model = load(tmp_path, SPEC.replace("keep_days: 7,", "keep_days: 7, copy_region: eu-west-1,"))
    policy = next(p for p in model.policies if p.type.value == "backup")  # type: ignore[attr-defined]
    plans = json.loads(policy.content)["plans"]
    assert list(plans) == ["orgstack-daily"]
    assert plans["orgstack-daily"]["regions"] == {"@@assign": ["eu-west-1", "eu-central-1"]}
    assert list(plans["orgstack-daily"]["rules"]["daily"]["copy_actions"]) == [
        "arn:aws:backup:eu-west-1:{account:vault}:backup-vault:orgstack-central"
    ]
