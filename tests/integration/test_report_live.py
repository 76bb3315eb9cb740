"""The diagram and the report from the live organization, and with a plan's changes marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgstack import api
from orgstack.flows.reporting import diagram, document, html_report
from orgstack.plan.planfile import plan_to_dict, write_plan
from orgstack.report.picture import picture
from tests.conftest import run_cli
from tests.integration.conftest import FAST, OrgBuilder


def imported_with_edits(workdir: Path) -> Path:
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    spec = workdir / "orgstack.yaml"
    text = spec.read_text().replace(
        "accounts:\n",
        "accounts:\n  web-qa:\n    purpose: workload\n    ou: Workloads/NonProd\n"
        "    stage: qa\n    email: web-qa@acme.example\n",
        1,
    )
    spec.write_text(text.replace("  lab:\n", "  lab:\n    stage: dev\n", 1))
    return spec


def test_live_draws_what_aws_has(brownfield: OrgBuilder, workdir: Path) -> None:
    imported_with_edits(workdir)
    doc = document("orgstack.yaml", FAST, live=True).document
    assert doc["source"] == "live"
    pic = picture(doc)
    # web-qa is only in the spec: the live picture has not got it
    assert sorted((n.label, n.parent) for n in pic.nodes) == [
        ("lab", "ou_Sandbox"),
        ("master", "org_root"),
        ("web-dev", "ou_Workloads_2fNonProd"),
        ("web-prod", "ou_Workloads_2fProd"),
    ]
    assert [(c.label, c.guardrails) for c in pic.clusters if c.guardrails] == [
        ("Root", ("DenyLeave",)),
        ("Workloads", ("DenyLeave",)),
    ]


def test_changes_mark_what_the_plan_changes(brownfield: OrgBuilder, workdir: Path) -> None:
    imported_with_edits(workdir)
    report = document("orgstack.yaml", FAST, changes=True)
    doc = report.document
    assert doc["source"] == "spec+live"
    assert [(c["action"], c["address"]) for c in doc["plan"]["changes"]] == [
        ("create", "account:web-qa"),
        ("tag", "account:lab"),  # its new stage, as the stage tag
    ]
    assert [(n.label, n.change) for n in picture(doc).nodes if n.change] == [
        ("web-qa", "create"),
        ("lab", "tag"),
    ]
    assert (
        '        acct_web_2dqa["web-qa<br/>workload · qa<br/>create"]'
        in diagram(doc, "mermaid").decode().splitlines()
    )
    page = html_report(doc)
    assert '<strong id="count-changes">2</strong>' in page
    assert '<td class="act">create</td><td><code>account:web-qa</code></td>' in page


def test_a_saved_plan_is_drawn_without_reading_aws(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported_with_edits(workdir)
    result = api.make_plan("orgstack.yaml", FAST)
    write_plan(workdir / "plan.json", plan_to_dict(result.plan, "orgstack.yaml"))
    code, out, _ = run_cli(capsys, "diagram", "--plan", "plan.json")
    assert code == 0
    assert "  style acct_web_2dqa stroke:#16a34a,stroke-width:3px" in out.splitlines()
    code, out, _ = run_cli(
        capsys, "report", "--plan", "plan.json", "--format", "json", "-o", "r.json"
    )
    assert (code, out) == (0, "Wrote the report to r.json.\n")
    data = json.loads((workdir / "r.json").read_text())
    assert (data["source"], len(data["plan"]["changes"])) == ("spec", 2)


def test_report_cli_live(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported_with_edits(workdir)
    code, out, err = run_cli(capsys, "report", "--live", "--rate", "1000000", "-o", "org.html")
    assert (code, out, err) == (0, "Wrote the report to org.html.\n", "")
    page = (workdir / "org.html").read_text()
    assert "From the spec and the live organization" in page
    assert page.count('<tr class="account-row">') == 5
