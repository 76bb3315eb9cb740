"""LZ101 workload-in-management-account."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_plain_management_account_passes(tmp_path: Path) -> None:
    assert (
        run("LZ101", spec("accounts:\n  mgmt: {purpose: management, ou: root}\n"), tmp_path) == []
    )


def test_management_account_with_a_workload_fails(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  mgmt: {purpose: management, ou: root, workload: billing, stage: prod}\n"
    )
    assert run("LZ101", text, tmp_path) == [
        (
            "account:mgmt",
            "the management account mgmt holds a workload (workload=billing, stage=prod); keep workloads in member accounts",
        )
    ]
