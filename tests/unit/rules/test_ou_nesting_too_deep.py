"""LZ001 ou-nesting-too-deep."""

from pathlib import Path

from tests.unit.rules.helpers import lines, run, spec

FIVE = """
organizational_units:
  A: {children: {B: {children: {C: {children: {D: {children: {E: {}}}}}}}}}
"""
SIX = FIVE.replace("E: {}", "E: {children: {F: {}}}")


def test_five_levels_pass(tmp_path: Path) -> None:
    assert run("LZ001", spec(FIVE), tmp_path) == []


def test_six_levels_fail_at_the_deepest_ou(tmp_path: Path) -> None:
    assert run("LZ001", spec(SIX), tmp_path) == [
        ("ou:A/B/C/D/E/F", "OU A/B/C/D/E/F is 6 levels below the root; AWS allows 5")
    ]
    assert lines("LZ001", spec(SIX), tmp_path) == [7]
