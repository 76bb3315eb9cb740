"""LZ205 region-deny-excludes-home-region."""

from pathlib import Path

from tests.unit.rules.helpers import run, scp, spec


def region_deny(regions: str) -> str:
    return f"[{{Effect: Deny, NotAction: 'iam:*', Resource: '*', Condition: {{StringNotEquals: {{'aws:RequestedRegion': {regions}}}}}}}]"


def test_list_with_every_allowed_region_passes(tmp_path: Path) -> None:
    text = spec(
        "policies:\n" + scp("regions", region_deny("[eu-west-1, eu-central-1]")),
        org="allowed_regions: [eu-central-1]\n",
    )
    assert run("LZ205", text, tmp_path) == []


def test_list_without_the_home_region_fails(tmp_path: Path) -> None:
    text = spec(
        "policies:\n" + scp("regions", region_deny("[eu-central-1]")),
        org="allowed_regions: [eu-central-1, us-east-1]\n",
    )
    assert run("LZ205", text, tmp_path) == [
        (
            "scp:regions",
            "SCP regions denies allowed Region(s) eu-west-1, us-east-1 (its list: eu-central-1)",
        )
    ]
