"""LZ114 account-directly-under-root."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_management_under_root_and_members_in_ous_pass(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Sandbox: {}}\naccounts:\n  m: {purpose: management, ou: root}\n  s: {purpose: sandbox, ou: Sandbox}\n"
    )
    assert run("LZ114", text, tmp_path) == []


def test_member_under_root_fails(tmp_path: Path) -> None:
    text = spec("accounts:\n  s: {purpose: sandbox, ou: root}\n")
    assert run("LZ114", text, tmp_path) == [("account:s", "account s is directly under the root")]
