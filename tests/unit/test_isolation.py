"""`isolation:` compiled (each side checked, exact problems) and `orgstack isolation --offline`:
what the spec's own segments open between stages, judged by the allowances, as text, JSON and
SARIF, with the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.spec.loader import load_spec
from tests.conftest import run_cli
from tests.unit.test_network import SPEC

ALLOW = """\
isolation:
  allow:
    - {from: '*', to: shared-services, kind: network, reason: every stage uses shared services}
    - {from: shared-services, to: '*', kind: network, reason: shared services answer them}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orgstack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_side_names_a_stage_purpose_or_account(tmp_path: Path) -> None:
    bad = """\
isolation:
  allow:
    - {from: dve, to: account:web-prd, reason: typo}
    - {from: outside, to: outside, kind: network, reason: not an end}
"""
    with pytest.raises(SpecError) as error:
        load_spec(write(tmp_path, SPEC + bad))
    assert [f"{p.line}:{p.column}: {p.message}" for p in error.value.problems] == [
        "24:14: isolation.allow[0].from: 'dve' is no stage (dev, prod), purpose or account:NAME "
        "(did you mean 'dev'?)",
        "24:23: isolation.allow[0].to: no account 'web-prd' (did you mean 'web-prod'?)",
        "25:27: isolation.allow[1].to: 'outside' is no stage (dev, prod), purpose or account:NAME",
    ]


def test_offline_the_segments_paths_are_found_until_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(write(tmp_path, SPEC))
    code, out, err = run_cli(capsys, "isolation", "--offline", "-f", spec)
    assert code == 1, err
    assert out.splitlines()[:4] == [
        "✗ web-dev (dev) → shared-services (shared-services): network",
        "    segment nonprod → shared",
        "    opened by: nonprod → shared",
        "    close it: remove shared from network.segments.nonprod.reaches",
    ]
    assert "Paths between stages (from row to column):" in out
    assert out.endswith(
        "4 paths between domains in the spec (offline) that isolation.allow does not allow.\n"
    )
    data = json.loads(run_cli(capsys, "isolation", "--offline", "-f", spec, "--format", "json")[1])
    assert [(p["from"], p["to"]) for p in data["paths"]] == [
        ("web-dev", "shared-services"), ("web-prod", "shared-services"),
        ("shared-services", "web-dev"), ("shared-services", "web-prod"),
    ]  # fmt: skip
    assert data["matrix"] == {"dev": {"dev": 0, "prod": 0}, "prod": {"dev": 0, "prod": 0}}
    sarif = json.loads(
        run_cli(capsys, "isolation", "--offline", "-f", spec, "--format", "sarif")[1]
    )
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"isolation/network"}
    allowing = str(write(tmp_path, SPEC + ALLOW))
    code, out, err = run_cli(capsys, "isolation", "--offline", "-f", allowing)
    assert code == 0, err
    assert (
        "  ✓ web-dev → shared-services (network, segment nonprod → shared): every stage uses "
        "shared services" in out
    )
    assert out.endswith(
        "No path between domains in the spec (offline) beyond what isolation.allow allows.\n"
    )


def test_segments_that_let_nonprod_reach_prod_show_in_the_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SPEC.replace(
        "    nonprod: {reaches: [shared]}", "    nonprod: {reaches: [shared, prod]}"
    )
    text = text.replace("  invariants:\n    - no_path: {from: nonprod, to: prod}\n", "")
    spec = str(write(tmp_path, text + ALLOW))
    code, out, _ = run_cli(capsys, "isolation", "--offline", "-f", spec, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [(p["from"], p["to"], p["opening"]) for p in data["paths"]] == [
        ("web-dev", "web-prod", "nonprod → prod")
    ]
    assert data["matrix"]["dev"]["prod"] == 1


def test_the_report_draws_the_stage_grid_with_its_paths_and_allowances(tmp_path: Path) -> None:
    from orgstack.flows.reporting import document, html_report

    text = SPEC.replace(
        "    nonprod: {reaches: [shared]}", "    nonprod: {reaches: [shared, prod]}"
    )
    text = text.replace("  invariants:\n    - no_path: {from: nonprod, to: prod}\n", "")
    doc = document(write(tmp_path, text + ALLOW)).document
    isolation = doc["isolation"]
    assert (isolation["checked"], isolation["stages"], isolation["matrix"]) == (
        "the spec's network segments",
        ["dev", "prod"],
        {"dev": {"dev": 0, "prod": 1}, "prod": {"dev": 0, "prod": 0}},
    )
    assert [(p["from"], p["to"], p["opening"]) for p in isolation["paths"]] == [
        ("web-dev", "web-prod", "nonprod → prod")
    ]
    assert len(isolation["allowed"]) == 4
    page = html_report(doc)
    assert '<h2 id="h-isolation">Isolation between stages</h2>' in page
    assert '<tr><th scope="row">dev</th><td>·</td><td class="sev-error">1</td></tr>' in page
    assert "<td>web-dev (dev)</td><td>web-prod (prod)</td><td>network</td>" in page
