"""LZ107 workload-without-prod-account."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_workload_with_prod_or_a_single_stage_passes(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web-dev: {purpose: workload, ou: root, workload: web, stage: dev}\n"
        "  web-prod: {purpose: workload, ou: root, workload: web, stage: prod}\n"
        "  lab-dev: {purpose: workload, ou: root, workload: lab, stage: dev}\n"
    )
    assert run("LZ107", text, tmp_path) == []


def test_stages_without_prod_are_reported(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web-qa: {purpose: workload, ou: root, workload: web, stage: qa}\n"
        "  web-dev: {purpose: workload, ou: root, workload: web, stage: dev}\n"
    )
    assert run("LZ107", text, tmp_path) == [
        ("account:web-qa", "workload web has stages dev, qa but no prod account")
    ]
