"""LZ206 scp-on-management-account."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

ACCOUNTS = "accounts:\n  m: {purpose: management, ou: root}\n  s: {purpose: sandbox, ou: root}\n"


def test_scp_on_members_passes(tmp_path: Path) -> None:
    assert (
        run("LZ206", spec(ACCOUNTS + "policies:\n" + scp("g", DENY_LEAVE, "[account:s]")), tmp_path)
        == []
    )


def test_scp_on_the_management_account_fails(tmp_path: Path) -> None:
    assert run(
        "LZ206", spec(ACCOUNTS + "policies:\n" + scp("g", DENY_LEAVE, "[account:m]")), tmp_path
    ) == [("scp:g", "SCP g is attached to the management account m, which SCPs do not restrict")]
