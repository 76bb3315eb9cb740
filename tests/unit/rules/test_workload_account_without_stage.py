"""LZ105 workload-account-without-stage."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_workload_with_stage_passes(tmp_path: Path) -> None:
    assert (
        run(
            "LZ105", spec("accounts:\n  web: {purpose: workload, ou: root, stage: dev}\n"), tmp_path
        )
        == []
    )


def test_workload_without_stage_fails(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web: {purpose: workload, ou: root}\n  sbx: {purpose: sandbox, ou: root}\n"
    )
    assert run("LZ105", text, tmp_path) == [("account:web", "workload account web has no stage")]
