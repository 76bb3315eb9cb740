"""The HTML report: one self-contained file (no network, no external assets) from the document.

The essentials are plain HTML tables readable without JavaScript and on paper; a few lines of
inline script add a filter box to each table and a severity filter to the findings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from orgstack.report.picture import PURPOSE_FILL, Picture

SEVERITIES = ("error", "warning", "info")
#: The XML prolog and doctype Graphviz writes before ``<svg``: not allowed inside HTML.
PROLOG = re.compile(r"\A.*?(?=<svg)", re.DOTALL)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("orgstack.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = _value
    return env


def _value(value: Any) -> str:
    """A section's or resource's value in one line of text."""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return "" if value is None else str(value)


def render(doc: Mapping[str, Any], pic: Picture, *, svg: str | None, mermaid: str) -> str:
    model = doc["model"]
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for resource in doc.get("resources", []):
        by_kind.setdefault(resource["kind"], []).append(resource)
    views: Mapping[str, Mapping[str, Any]] = doc.get("views", {})
    # A kind's view puts it in a section of its own (several kinds may share one), in a
    # column of the accounts table, or in data the report's own sections read; a kind
    # without a view is listed under "Other resources".
    columns = [(v["column"], v["by_account"]) for v in views.values() if "column" in v]
    by_section: dict[str, tuple[int, str, list[str]]] = {}
    for kind, view in views.items():
        if "section" in view:
            rank, title, kinds = by_section.get(view["section"], (view["rank"], view["title"], []))
            by_section[view["section"]] = (rank, title, [*kinds, kind])
    guardrails: dict[str, list[str]] = {}
    for policy in model["policies"]:
        for target in policy["targets"]:
            guardrails.setdefault(target, []).append(policy["name"])
    findings = doc["findings"]
    by_severity = {s: [f for f in findings["findings"] if f["severity"] == s] for s in SEVERITIES}
    shown = set(views)
    sections = [
        (name, title, doc["sections"].get(name), [r for k in kinds for r in by_kind.get(k, [])])
        for name, (_rank, title, kinds) in sorted(by_section.items(), key=lambda i: i[1][0])
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=doc,
        model=model,
        org=model["organization"],
        svg=PROLOG.sub("", svg) if svg else None,
        mermaid=mermaid,
        purposes=[(p, PURPOSE_FILL.get(p, "#ffffff")) for p in pic.purposes()],
        columns=columns,
        guardrails=guardrails,
        findings=findings,
        by_severity=by_severity,
        severities=SEVERITIES,
        rules=findings.get("rules", {}),
        plan=doc.get("plan"),
        access=doc.get("access"),
        isolation=doc.get("isolation"),
        sections=sections,
        other=[r for k, rs in by_kind.items() if k not in shown for r in rs],
        relations=pic.edges,
        grouped=pic.grouped,
        names={n.id: n.label for n in pic.nodes},
    )
