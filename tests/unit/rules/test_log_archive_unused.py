"""LZ117 log-archive-unused."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec
from tests.unit.rules.logs_fixture import ARCHIVE


def test_a_log_archive_with_a_logging_section_passes(tmp_path: Path) -> None:
    assert run("LZ117", ARCHIVE, tmp_path) == []


def test_a_log_archive_account_without_logging_fails(tmp_path: Path) -> None:
    text = spec("accounts:\n  logs: {purpose: log-archive, ou: root}\n")
    assert run("LZ117", text, tmp_path) == [
        (
            "account:logs",
            "account logs (log-archive) holds no logs: no logging: section declares the "
            "organization trail and the locked bucket",
        )
    ]
