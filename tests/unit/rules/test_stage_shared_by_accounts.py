"""LZ106 stage-shared-by-accounts."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_one_account_per_stage_passes(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web-dev: {purpose: workload, ou: root, workload: web, stage: dev}\n"
        "  web-prod: {purpose: workload, ou: root, workload: web, stage: prod}\n"
        "  api-prod: {purpose: workload, ou: root, workload: api, stage: prod}\n"
    )
    assert run("LZ106", text, tmp_path) == []


def test_second_account_for_a_stage_fails(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web-prod: {purpose: workload, ou: root, workload: web, stage: prod}\n"
        "  web-prod-2: {purpose: workload, ou: root, workload: web, stage: prod}\n"
    )
    assert run("LZ106", text, tmp_path) == [
        (
            "account:web-prod-2",
            "account web-prod-2 is a second prod account of workload web (the first is web-prod)",
        )
    ]
