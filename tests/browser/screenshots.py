"""``make screenshots``: the report and the SVG diagram of the standard blueprint, as PNG
pictures taken in headless Chromium (the README shows the report's).
``python -m tests.browser.screenshots DIR``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from orgstack.flows.reporting import diagram, document, html_report
from tests.browser import tools

SPEC = tools.REPO / "examples" / "standard" / "orgstack.yaml"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    doc = document(SPEC.relative_to(tools.REPO)).document
    with tempfile.TemporaryDirectory() as work, tools.browser() as browser:
        report = Path(work) / "report.html"
        report.write_text(html_report(doc))
        svg = Path(work) / "diagram.svg"
        svg.write_bytes(diagram(doc, "svg"))
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page.goto(report.as_uri())
        page.screenshot(path=str(out / "report.png"))
        page.goto(svg.as_uri())
        page.locator("svg").screenshot(path=str(out / "diagram.png"))
    for name in ("report.png", "diagram.png"):
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
