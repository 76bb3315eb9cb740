"""LZ103 security-account-missing."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_security_account_present_passes(tmp_path: Path) -> None:
    assert run("LZ103", spec("accounts:\n  sec: {purpose: security, ou: root}\n"), tmp_path) == []


def test_no_security_account_fails(tmp_path: Path) -> None:
    assert run("LZ103", spec(), tmp_path) == [("organization", "no account has purpose security")]
