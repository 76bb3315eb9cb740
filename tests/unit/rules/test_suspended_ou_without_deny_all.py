"""LZ109 suspended-ou-without-deny-all."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

DENY_ALL = "[{Effect: Deny, Action: '*', Resource: '*'}]"


def test_suspended_with_deny_all_passes(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Suspended: {}}\npolicies:\n"
        + scp("deny-all", DENY_ALL, "[ou:Suspended]")
    )
    assert run("LZ109", text, tmp_path) == []


def test_suspended_without_deny_all_fails(tmp_path: Path) -> None:
    conditional = "[{Effect: Deny, Action: '*', Resource: '*', Condition: {Bool: {'aws:ViaAWSService': 'false'}}}]"
    text = spec(
        "organizational_units: {Suspended: {}}\npolicies:\n"
        + scp("weak", conditional, "[ou:Suspended]")
        + scp("leave", DENY_LEAVE, "[ou:Suspended]")
    )
    assert run("LZ109", text, tmp_path) == [
        ("ou:Suspended", "OU Suspended has no SCP attached that denies everything")
    ]
