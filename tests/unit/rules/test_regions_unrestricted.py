"""LZ207 regions-unrestricted."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

REGION_DENY = "[{Effect: Deny, NotAction: 'iam:*', Resource: '*', Condition: {StringNotEquals: {'aws:RequestedRegion': [eu-west-1]}}}]"


def test_attached_region_guardrail_passes(tmp_path: Path) -> None:
    assert run("LZ207", spec("policies:\n" + scp("regions", REGION_DENY)), tmp_path) == []


def test_no_or_unattached_region_guardrail_is_reported(tmp_path: Path) -> None:
    text = spec("policies:\n" + scp("regions", REGION_DENY, "[]") + scp("leave", DENY_LEAVE))
    assert run("LZ207", text, tmp_path) == [
        ("organization", "no SCP denies Regions outside eu-west-1")
    ]
