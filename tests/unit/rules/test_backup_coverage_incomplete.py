"""LZ220 backup-coverage-incomplete: judged on what audit's inspection of the covered accounts
found (the integration tests show it read from AWS, for an account outside the spec too)."""

from pathlib import Path

from tests.unit.rules.helpers import load, run_model
from tests.unit.rules.test_backup_copies_deletable import SPEC
from tests.unit.rules.test_backup_copies_impossible import inspected


def test_an_account_with_its_role_and_vaults_passes(tmp_path: Path) -> None:
    assert run_model("LZ220", load(tmp_path, SPEC)) == []
    assert run_model("LZ220", inspected(tmp_path)) == []


def test_a_missing_role_or_vault_is_named_with_where(tmp_path: Path) -> None:
    assert run_model("LZ220", inspected(tmp_path, role=False)) == [
        (
            "backup-inspection:web-prod",
            "web-prod (222233334444) is covered by the backup policy but lacks the role "
            "OrgstackBackup: its backup jobs fail",
        )
    ]
    stray = inspected(tmp_path, in_spec=False, vaults_missing=["eu-west-1"])
    assert run_model("LZ220", stray) == [
        (
            "backup-inspection:web-prod",
            "web-prod (222233334444), not in the spec, is covered by the backup policy but "
            "lacks the vault orgstack-local in eu-west-1: its backup jobs fail",
        )
    ]
