"""LZ119 backup-account-unused."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec

ACCOUNTS = """\
organizational_units: {Workloads: {}}
accounts:
  management: {purpose: management, ou: root}
  vault: {purpose: backup, ou: root}
  web-prod: {purpose: workload, ou: Workloads, stage: prod}
"""


def test_a_backup_account_with_a_backup_section_passes(tmp_path: Path) -> None:
    text = spec(
        ACCOUNTS
        + "backup:\n  targets: [ou:Workloads]\n"
        + "  plans: {daily: {schedule: 'cron(0 5 ? * * *)', keep_days: 7, copy_keep_days: 35}}\n"
    )
    assert run("LZ119", text, tmp_path) == []


def test_a_backup_account_without_a_backup_section_fails(tmp_path: Path) -> None:
    assert run("LZ119", spec(ACCOUNTS), tmp_path) == [
        (
            "account:vault",
            "account vault (backup) holds no copies: no backup: section declares the central "
            "vault and the backup policy",
        )
    ]
