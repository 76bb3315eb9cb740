"""LZ118 security-services-not-delegated."""

from dataclasses import replace
from pathlib import Path

from tests.unit.rules.helpers import load, run, run_model, spec

TEXT = spec("accounts:\n  sec: {purpose: security, ou: root}\n")


def test_a_security_section_passes(tmp_path: Path) -> None:
    assert run("LZ118", TEXT + "security: {}\n", tmp_path) == []


def test_a_security_account_without_delegation_fails(tmp_path: Path) -> None:
    assert run("LZ118", TEXT, tmp_path) == [
        (
            "account:sec",
            "account sec (security) administers no security service: no security: section "
            "and no delegated administrator for GuardDuty, Security Hub, Access Analyzer or "
            "Config",
        )
    ]


def test_a_live_registration_counts_on_audit(tmp_path: Path) -> None:
    model = load(tmp_path, TEXT)
    organization = replace(
        model.organization, delegated_admins=(("111122223333", "guardduty.amazonaws.com"),)
    )
    assert run_model("LZ118", replace(model, organization=organization)) == []
