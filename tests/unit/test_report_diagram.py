"""The report's document, its picture and the diagram formats (Mermaid, DOT, SVG), offline."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from orgstack.errors import UsageError
from orgstack.flows.reporting import diagram, document
from orgstack.report.mermaid import mermaid, text
from orgstack.report.picture import PURPOSE_FILL, STAGE_STROKE, Edge, picture, safe_id
from tests.conftest import run_cli

SPEC = """\
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Security: {}, Workloads: {children: {Prod: {}}}}
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: Security}
  security: {purpose: security, ou: Security}
  web-dev: {purpose: workload, ou: Workloads, stage: dev}
  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}
policies:
  deny-leave:
    type: service_control
    targets: [root]
    content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]}
access:
  mode: iam
  users: {ana: {email: ana@acme.example}}
  groups: {devs: {members: [ana]}}
  grants:
    - {group: devs, level: poweruser, accounts: {stage: dev}}
    - {group: devs, level: readonly, accounts: {ou: Workloads/Prod}}
security: {services: [guardduty]}
logging: {}
"""


def spec(tmp_path: Path, text: str = SPEC) -> Path:
    path = tmp_path / "orgstack.yaml"
    path.write_text(text)
    return path


def doc_of(tmp_path: Path, text: str = SPEC) -> dict[str, Any]:
    return document(spec(tmp_path, text)).document


def test_the_document_is_the_clis_json(tmp_path: Path) -> None:
    doc = doc_of(tmp_path)
    assert (doc["format_version"], doc["source"], doc["plan"]) == (1, "spec", None)
    assert [a["name"] for a in doc["model"]["accounts"]] == [
        "management", "log-archive", "security", "web-dev", "web-prod",
    ]  # fmt: skip
    assert doc["access"]["users"] == [
        {
            "user": "ana",
            "groups": ["devs"],
            "roles": [
                {"account": "web-dev", "level": "poweruser", "role": "orgstack-PowerUser"},
                {"account": "web-prod", "level": "readonly", "role": "orgstack-ReadOnly"},
            ],
        }
    ]
    assert doc["sections"]["logging"]["account"] == "log-archive"
    assert {r["kind"] for r in doc["resources"]} >= {"org_trail", "log_archive", "access"}
    json.dumps(doc)  # plain JSON all through


def test_the_picture_nests_ous_and_draws_the_relations(tmp_path: Path) -> None:
    pic = picture(doc_of(tmp_path))
    assert [(c.id, c.parent, c.guardrails) for c in pic.clusters] == [
        ("org_root", None, ("deny-leave",)),
        ("ou_Security", "org_root", ()),
        ("ou_Workloads", "org_root", ()),
        ("ou_Workloads_2fProd", "ou_Workloads", ()),
    ]
    assert [(n.id, n.parent, n.purpose, n.stage) for n in pic.nodes] == [
        ("acct_management", "org_root", "management", None),
        ("acct_log_2darchive", "ou_Security", "log-archive", None),
        ("acct_security", "ou_Security", "security", None),
        ("acct_web_2ddev", "ou_Workloads", "workload", "dev"),
        ("acct_web_2dprod", "ou_Workloads_2fProd", "workload", "prod"),
        ("identity", "", None, None),
        ("every_account", "", None, None),
    ]
    assert pic.edges == [
        Edge("identity", "acct_web_2ddev", "poweruser", "access"),
        Edge("identity", "acct_web_2dprod", "readonly", "access"),
        Edge("every_account", "acct_log_2darchive", "CloudTrail logs", "logs"),
        Edge("acct_management", "acct_security", "delegated admin: guardduty", "admin"),
    ]


def test_mermaid_text(tmp_path: Path) -> None:
    lines = mermaid(picture(doc_of(tmp_path))).splitlines()
    assert lines[:12] == [
        "---",
        'title: "acme"',
        "---",
        "flowchart TB",
        '  identity(["IAM users (management)"])',
        '  every_account(["every account"])',
        '  subgraph org_root["Root<br/>guardrails: deny-leave"]',
        '    acct_management["management"]',
        '    subgraph ou_Security["Security"]',
        '      acct_log_2darchive["log-archive"]',
        '      acct_security["security"]',
        "    end",
    ]
    assert '  identity -->|"poweruser"| acct_web_2ddev' in lines
    assert '  every_account -.->|"CloudTrail logs"| acct_log_2darchive' in lines
    assert "  class acct_web_2dprod p_workload" in lines
    assert "  style acct_web_2dprod stroke:#b91c1c,stroke-width:2px" in lines


def test_mermaid_labels_cannot_break_out() -> None:
    assert text('a"b', "<script>", "x|y") == '"a#34;b<br/>#60;script#62;<br/>x#124;y"'
    assert safe_id("acct_", "a-b.c") == "acct_a_2db_2ec"


def test_a_plan_marks_what_it_changes(tmp_path: Path) -> None:
    doc = doc_of(tmp_path)
    doc["plan"] = {
        "changes": [
            {"address": "account:web-dev", "action": "create", "before": None},
            {"address": "ou:Workloads/Prod", "action": "create", "before": None},
            {"address": "account:old", "action": "close", "before": {"ou": "Workloads"}},
            {"address": "access:web-dev/role/orgstack-poweruser", "action": "create"},
        ]
    }
    pic = picture(doc)
    assert [(n.label, n.change) for n in pic.nodes if n.change] == [
        ("web-dev", "create"),
        ("old", "close"),
    ]
    assert [(c.label, c.change) for c in pic.clusters if c.change] == [("Prod", "create")]
    lines = mermaid(pic).splitlines()
    assert '      acct_web_2ddev["web-dev<br/>workload · dev<br/>create"]' in lines
    assert "  style acct_old stroke:#dc2626,stroke-width:3px,stroke-dasharray:5 5" in lines
    assert '      subgraph ou_Workloads_2fProd["Prod (create)"]' in lines


def test_svg_is_laid_out_by_graphviz_with_every_account(tmp_path: Path) -> None:
    svg = diagram(doc_of(tmp_path), "svg")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    nodes = {g.get("id") for g in root.iterfind(".//s:g[@class]", ns)}
    assert {"acct_management", "acct_log_2darchive", "acct_web_2dprod", "identity"} <= nodes
    texts = {t.text for t in root.iterfind(".//s:text", ns)}
    assert {"management", "log-archive", "security", "web-dev", "web-prod"} <= texts
    png = diagram(doc_of(tmp_path), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_without_graphviz_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UsageError) as caught:
        diagram(doc_of(tmp_path), "svg")
    assert (caught.value.message, caught.value.hint) == (
        "--format svg needs Graphviz's `dot`, which is not on PATH",
        "Install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz) "
        "so that `dot` is on PATH, or use --format mermaid.",
    )


def test_diagram_cli(tmp_path: Path, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec(in_tmp)
    code, out, _ = run_cli(capsys, "diagram")
    assert (code, out.splitlines()[3]) == (0, "flowchart TB")
    code, _, err = run_cli(capsys, "diagram", "--format", "svg", "-o", "out/org.svg")
    assert (code, err) == (0, "Wrote the diagram to out/org.svg.\n")
    assert ET.parse(in_tmp / "out" / "org.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    code, _, err = run_cli(capsys, "diagram", "--live", "--changes")
    assert (code, err) == (
        1,
        "Error: --live and --changes: give one\nHint: --changes draws the spec with a plan.\n",
    )
    code, _, err = run_cli(capsys, "diagram", "--plan", "p.json", "--changes")
    assert (code, err.splitlines()[0]) == (
        1,
        "Error: --plan is a saved plan's changes; --live and --changes read AWS instead",
    )


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_colours_keep_text_readable() -> None:
    # WCAG: 4.5:1 for text (AA); the boxes' dark text on every purpose's fill reaches 7:1 (AAA),
    # and each stage's outline stands out from white by 3:1 (non-text contrast).
    assert min(contrast("#111827", fill) for fill in PURPOSE_FILL.values()) >= 7
    assert min(contrast(stroke, "#ffffff") for stroke in STAGE_STROKE.values()) >= 3


def test_hostile_names_stay_text_in_every_format(tmp_path: Path) -> None:
    from orgstack.flows.reporting import html_report

    doc = doc_of(tmp_path)
    hostile = '<b>x</b>\\l"'
    doc["model"]["organization"]["name"] = hostile
    doc["model"]["accounts"][1]["name"] = hostile
    root = ET.fromstring(diagram(doc, "svg"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(hostile) == 2  # the title and the account, each as written
    assert 'subgraph org_root["Root<br/>guardrails: deny-leave"]' in mermaid(picture(doc))
    assert '["#60;b#62;x#60;/b#62;#92;l#34;<br/>log-archive"]' in mermaid(picture(doc))
    page = html_report(doc)
    assert "<b>x</b>" not in page  # neither in the tables nor in the inline SVG
    assert "&lt;b&gt;x&lt;/b&gt;\\l&#34;" in page


def test_many_accounts_are_drawn_one_box_per_ou_purpose_and_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgstack.report import picture as pictures

    monkeypatch.setattr(pictures, "MAX_DRAWN", 4)
    text_ = SPEC.replace(
        "  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}\n",
        "  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}\n"
        "  shop-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}\n"
        "  shop-dev: {purpose: workload, ou: Workloads, stage: dev}\n",
    )
    doc = doc_of(tmp_path, text_)
    doc["plan"] = {"changes": [{"address": "account:shop-prod", "action": "create"}]}
    pic = picture(doc)
    assert pic.grouped == 4
    assert [(n.id, n.label, n.kind, n.change) for n in pic.nodes if n.purpose == "workload"] == [
        ("group_ou_5fWorkloads_2eworkload_2edev", "2 accounts", "group", None),
        (
            "group_ou_5fWorkloads_5f2fProd_2eworkload_2eprod",
            "2 accounts (1 create)",
            "group",
            "create",
        ),
    ]
    assert [e for e in pic.edges if e.relation == "access"] == [
        Edge("identity", "group_ou_5fWorkloads_2eworkload_2edev", "poweruser", "access"),
        Edge("identity", "group_ou_5fWorkloads_5f2fProd_2eworkload_2eprod", "readonly", "access"),
    ]
    assert '      group_ou_5fWorkloads_2eworkload_2edev[["2 accounts<br/>workload · dev"]]' in (
        mermaid(pic).splitlines()
    )
    assert "peripheries=2" in diagram(doc, "dot").decode()
