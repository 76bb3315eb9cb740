"""LZ203 deny-leave-organization-missing."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec


def test_guardrail_at_the_root_passes(tmp_path: Path) -> None:
    assert run("LZ203", spec("policies:\n" + scp("leave", DENY_LEAVE)), tmp_path) == []


def test_guardrail_missing_or_only_on_an_ou_fails(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Workloads: {}}\npolicies:\n"
        + scp("leave", DENY_LEAVE, "[ou:Workloads]")
    )
    assert run("LZ203", text, tmp_path) == [
        ("organization", "no SCP at the root denies organizations:LeaveOrganization")
    ]
