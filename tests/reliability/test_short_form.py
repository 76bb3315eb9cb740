"""The short form of `make reliability`: one faulty apply, two killed applies, a fuzzing pass."""

from __future__ import annotations

import pytest
from bench import reliability

pytestmark = pytest.mark.e2e


def test_apply_converges_under_injected_faults() -> None:
    tally = reliability.faults(runs=1, seed=11)
    assert (tally.runs, tally.converged, tally.duplicates, tally.tracebacks) == (1, 1, 0, 0), (
        tally.notes
    )
    assert tally.injected["throttle"] > 0


def test_killed_applies_resume_to_one_account_each() -> None:
    tally = reliability.kills(runs=2, seed=5)
    assert (tally.runs, tally.converged, tally.duplicates, tally.tracebacks) == (2, 2, 0, 0), (
        tally.notes
    )
    assert tally.notes == []


def test_malformed_specs_never_raise_a_traceback() -> None:
    tally = reliability.fuzz(examples=200)
    assert tally.tracebacks == 0, tally.notes[:5]
    assert tally.runs >= 200
