"""LZ102 log-archive-account-missing."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_log_archive_account_present_passes(tmp_path: Path) -> None:
    assert (
        run("LZ102", spec("accounts:\n  logs: {purpose: log-archive, ou: root}\n"), tmp_path) == []
    )


def test_no_log_archive_account_fails(tmp_path: Path) -> None:
    text = spec("accounts:\n  web: {purpose: workload, ou: root, stage: dev}\n")
    assert run("LZ102", text, tmp_path) == [("organization", "no account has purpose log-archive")]
