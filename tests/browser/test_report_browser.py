"""The HTML report of every blueprint, opened in headless Chromium; the Mermaid text of every
blueprint, parsed by Mermaid's own parser in the same browser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from orgstack.flows.reporting import diagram, document, html_report
from tests.browser import tools

BLUEPRINTS = ("minimal", "standard", "enterprise")
EXAMPLES = tools.REPO / "examples"
SECTIONS = [
    "diagram", "accounts", "structure", "plan", "findings", "access",
    "logging", "security", "backup", "resources",
]  # fmt: skip


def blueprint_doc(name: str) -> dict[str, Any]:
    return document(EXAMPLES / name / "orgstack.yaml").document


class Opened:
    """A page with every console message, page error and request it made."""

    def __init__(self, browser: Any, path: Path, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.messages: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.messages.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.messages.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())

    def visible(self, selector: str) -> int:
        return int(self.page.locator(f"{selector}:visible").count())


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_report_opens_clean_with_every_section_and_count(
    browser: Any, tmp_path: Path, name: str
) -> None:
    doc = blueprint_doc(name)
    path = tmp_path / "report.html"
    path.write_text(html_report(doc))
    opened = Opened(browser, path)
    page = opened.page
    assert opened.messages == []  # no console errors (nor any other message)
    assert opened.requests == [path.as_uri()]  # the file itself, nothing else
    assert page.locator("h1").count() == 1
    assert [page.locator(f"section#{s} > h2").count() for s in SECTIONS] == [1] * len(SECTIONS)
    accounts = doc["model"]["accounts"]
    assert page.locator("tr.account-row").count() == len(accounts)
    assert page.inner_text("#count-accounts") == str(len(accounts))
    assert page.inner_text("#count-ous") == str(len(doc["model"]["organizational_units"]))
    findings = doc["findings"]["findings"]
    assert page.locator("tr.finding-row").count() == len(findings)
    for severity in ("error", "warning", "info"):
        found = [f for f in findings if f["severity"] == severity]
        assert page.inner_text(f"#count-{severity}") == str(len(found))
    assert page.locator("tr.user-row").count() == len(doc["access"]["users"])
    # The diagram is Graphviz's SVG, inline, with every account in it and a caption.
    svg = page.locator("figure[role=img] svg")
    assert svg.count() == 1
    labels = set(svg.locator("text").all_text_contents())
    assert {a["name"] for a in accounts} <= labels
    assert page.locator("figure[role=img][aria-labelledby=diagram-caption]").count() == 1


def test_tables_filter_and_findings_by_severity(browser: Any, tmp_path: Path) -> None:
    doc = blueprint_doc("enterprise")
    path = tmp_path / "report.html"
    path.write_text(html_report(doc))
    opened = Opened(browser, path)
    page = opened.page
    total = len(doc["model"]["accounts"])
    assert opened.visible("tr.account-row") == total
    page.fill("input[data-for=accounts]", "log-archive")
    assert opened.visible("tr.account-row") == 1
    page.fill("input[data-for=accounts]", "")
    assert opened.visible("tr.account-row") == total
    warnings = [f for f in doc["findings"]["findings"] if f["severity"] == "warning"]
    page.select_option("#severity-filter", "warning")
    assert opened.visible("tr.finding-row") == len(warnings)
    assert opened.visible("#findings-error") == 0
    assert opened.messages == []


def test_the_essentials_read_without_javascript(browser: Any, tmp_path: Path) -> None:
    doc = blueprint_doc("standard")
    path = tmp_path / "report.html"
    path.write_text(html_report(doc))
    opened = Opened(browser, path, javascript=False)
    page = opened.page
    assert page.locator("tr.account-row:visible").count() == len(doc["model"]["accounts"])
    assert page.locator("figure svg").count() == 1
    assert page.locator("input.filter").count() == 0  # the filters come with the script
    assert opened.requests == [path.as_uri()]


def test_the_report_prints(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(html_report(blueprint_doc("minimal")))
    opened = Opened(browser, path)
    pdf = opened.page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-"
    opened.page.emulate_media(media="print")
    assert opened.visible("input.filter") == 0  # no dead controls on paper


@pytest.fixture(scope="module")
def mermaid_page(browser: Any) -> Any:
    page = browser.new_context().new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(tools.mermaid_js()))
    page.evaluate("() => mermaid.initialize({startOnLoad: false})")
    return page


PARSE = """async (text) => {
  try { await mermaid.parse(text); return "ok"; } catch (error) { return String(error.message || error); }
}"""


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_mermaid_of_every_blueprint_parses(mermaid_page: Any, name: str) -> None:
    text = diagram(blueprint_doc(name), "mermaid").decode()
    assert mermaid_page.evaluate(PARSE, text) == "ok"


def test_the_parser_refuses_broken_mermaid(mermaid_page: Any) -> None:
    text = diagram(blueprint_doc("minimal"), "mermaid").decode()
    broken = text.replace("subgraph org_root[", "subgraph org_root[[", 1)
    assert mermaid_page.evaluate(PARSE, broken) != "ok"


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_svg_of_every_blueprint_is_xml_with_every_account(name: str) -> None:
    doc = blueprint_doc(name)
    root = ET.fromstring(diagram(doc, "svg"))
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {a["name"] for a in doc["model"]["accounts"]} <= texts
