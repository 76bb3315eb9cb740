"""LZ110 scp-attached-to-account."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

BASE = (
    "organizational_units: {Workloads: {}, Exceptions: {}}\naccounts:\n"
    "  web: {purpose: workload, stage: dev, ou: Workloads}\n  odd: {purpose: workload, stage: dev, ou: Exceptions}\n"
)


def test_ou_attachments_and_the_exceptions_ou_pass(tmp_path: Path) -> None:
    text = spec(BASE + "policies:\n" + scp("g", DENY_LEAVE, "[ou:Workloads, account:odd]"))
    assert run("LZ110", text, tmp_path) == []


def test_account_attachment_fails(tmp_path: Path) -> None:
    text = spec(BASE + "policies:\n" + scp("g", DENY_LEAVE, "[account:web]"))
    assert run("LZ110", text, tmp_path) == [
        ("scp:g", "SCP g is attached to account web; attach guardrails to OUs")
    ]
