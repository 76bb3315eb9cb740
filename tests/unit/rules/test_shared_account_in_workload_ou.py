"""LZ104 shared-account-in-workload-ou."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec

OUS = "organizational_units:\n  Security: {}\n  Sandbox: {}\n  Workloads: {children: {Prod: {}}}\n"


def test_shared_accounts_in_their_own_ous_pass(tmp_path: Path) -> None:
    text = spec(
        OUS + "accounts:\n  web-prod: {purpose: workload, stage: prod, ou: Workloads/Prod}\n"
        "  logs: {purpose: log-archive, ou: Security}\n  sbx: {purpose: sandbox, ou: Sandbox}\n"
    )
    assert run("LZ104", text, tmp_path) == []


def test_shared_accounts_next_to_or_above_workloads_fail(tmp_path: Path) -> None:
    text = spec(
        OUS + "accounts:\n  web-prod: {purpose: workload, stage: prod, ou: Workloads/Prod}\n"
        "  logs: {purpose: log-archive, ou: Workloads}\n  sbx: {purpose: sandbox, ou: Workloads/Prod}\n"
        "  bkp: {purpose: backup, ou: Workloads/Prod}\n  sec: {purpose: security, ou: Security}\n"
    )
    assert run("LZ104", text, tmp_path) == [
        (
            "account:logs",
            "log-archive account logs is in Workloads, an OU that holds workload accounts",
        ),
        (
            "account:sbx",
            "sandbox account sbx is in Workloads/Prod, an OU that holds workload accounts",
        ),
        (
            "account:bkp",
            "backup account bkp is in Workloads/Prod, an OU that holds workload accounts",
        ),
    ]
