"""LZ214 organization-trail-incomplete."""

from pathlib import Path

from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.logs_fixture import ARCHIVE, TRAIL, audited


def test_the_declared_trail_and_an_intact_live_one_pass(tmp_path: Path) -> None:
    assert run("LZ214", ARCHIVE, tmp_path) == []
    assert run_model("LZ214", audited(tmp_path)) == []


def test_a_stopped_single_region_trail_fails(tmp_path: Path) -> None:
    model = audited(
        tmp_path,
        {TRAIL: {"logging": False, "multi_region": False, "bucket": "elsewhere"}},
    )
    assert run_model("LZ214", model) == [
        (
            TRAIL,
            "trail orgstack-organization-trail: one Region only; stopped; writes to "
            "elsewhere, not the log archive's bucket",
        )
    ]


def test_a_missing_trail_fails(tmp_path: Path) -> None:
    assert run_model("LZ214", audited(tmp_path, {TRAIL: None})) == [
        (
            "account:management",
            "no organization trail orgstack-organization-trail in the management account",
        )
    ]
