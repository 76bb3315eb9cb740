"""The report's document — the CLI's own JSON outputs of one organization, put together — and
the diagram and HTML report drawn from it (``orgstack diagram``, ``orgstack report``).

The document holds: the model (``show --format json``), the spec's kind sections, every kind's
resources, the access matrix with each user's roles (``access --matrix --format json``), the
findings (``validate``/``audit --format json``) with each rule's fix, and a plan
(``plan --format json``) when there is one. Every renderer reads only the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack import __version__
from orgstack.errors import UsageError
from orgstack.model import OrgModel

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions

REPORT_FORMAT_VERSION = 1
#: Diagram formats: the text ones need nothing; svg and png need Graphviz's ``dot``.
DIAGRAM_FORMATS = ("mermaid", "dot", "svg", "png")
GRAPHVIZ_HINT = (
    "Install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz) so "
    "that `dot` is on PATH, or use --format mermaid."
)


@dataclass(frozen=True)
class Report:
    document: dict[str, Any]
    context: AwsContext | None


def document(
    spec_path: str | Path | None,
    options: AwsOptions | None = None,
    *,
    live: bool = False,
    changes: bool = False,
    plan_file: Path | None = None,
) -> Report:
    """``live``: the organization as AWS has it (audit's view); ``changes``: the spec, with the
    plan against the live organization and the rules on the live organization; ``plan_file``:
    the spec with a saved plan's changes. Otherwise the spec alone, offline."""
    from orgstack.plan.planfile import plan_to_dict, read_plan
    from orgstack.rules.engine import run_rules
    from orgstack.rules.registry import pick
    from orgstack.spec.loader import load_spec

    context: AwsContext | None = None
    plan: dict[str, Any] | None = None
    if (live or changes) and options is None:
        raise UsageError("--live needs AWS", "Give --sandbox or AWS credentials.")
    if live and options is not None:
        from orgstack.flows.auditing import audit_model

        model, context = audit_model(spec_path, options)
        resources = _live_resources(model)
        source = "live"
        findings = run_rules(model, pick((), ()))
    else:
        model = load_spec(spec_path)
        source = "spec"
        if changes and options is not None:
            from orgstack.flows.auditing import audit
            from orgstack.flows.planning import make_plan

            result = make_plan(spec_path, options)
            context = result.context
            plan = plan_to_dict(result.plan, str(spec_path or "orgstack.yaml"))
            findings, context = audit(spec_path, options, context=context)
            source = "spec+live"
        else:
            findings = run_rules(model, pick((), ()))
        if plan_file is not None:
            _plan, plan = read_plan(plan_file)
        ids = {**(plan or {}).get("ids", {}), "access-role": model.organization.access_role}
        ids |= {a.address: a.id for a in model.accounts if a.id}
        resources = _desired_resources(model, ids)
    return Report(
        {
            "format_version": REPORT_FORMAT_VERSION,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "orgstack": __version__,
            "source": source,
            "spec": str(spec_path) if spec_path else None,
            **_parts(model, resources),
            "findings": _findings(findings),
            "isolation": _isolation(model, live=source == "live"),
            "plan": plan,
        },
        context,
    )


def _parts(model: OrgModel, resources: list[dict[str, Any]]) -> dict[str, Any]:
    from orgstack.registry import all_kinds
    from orgstack.report.json import model_to_dict

    sections = {k: v for k, v in model.sections.items() if isinstance(v, Mapping)}
    relations: list[dict[str, Any]] = []
    views: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for kind in all_kinds():
        mine = {r["address"]: r["value"] for r in resources if r["kind"] == kind.name}
        relations += kind.relations(model, mine)
        view = kind.report(model, mine)
        extra |= view.pop("document", {})
        if view:
            views[kind.name] = view
    return {
        "model": model_to_dict(model),
        "sections": _plain(sections),
        "resources": resources,
        "relations": _plain(relations),
        "views": _plain(views),
        **_plain(extra),
    }


def _isolation(model: OrgModel, *, live: bool) -> dict[str, Any]:
    """The stage matrix the report draws: from the live Transit Gateway tables, or from the
    spec's segments (``orgstack isolation`` also reads trust and resource policies)."""
    from orgstack.flows.isolation import accounts_of, judge
    from orgstack.model.isolation import matrix, segment_paths, table_paths

    org = accounts_of(model)
    network = model.sections.get("network")
    if live:
        tables = [v for a, v in (model.live_resources or {}).items() if "/table/" in a]
        paths, checked = table_paths(tables, org), "the Transit Gateway's route tables"
    else:
        paths = segment_paths(network, org) if isinstance(network, Mapping) else []
        checked = "the spec's network segments"
    found, allowed = judge(paths, model)
    stages = sorted(org.stages)
    return {
        "checked": checked,
        "stages": stages,
        "matrix": matrix(found, stages),
        "paths": [p.to_dict() for p in found],
        "allowed": [p.to_dict() | {"reason": why} for p, why in allowed],
    }


def _plain(value: Any) -> Any:
    """A kind's compiled section as JSON data (tuples as lists, mappings as dicts)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _desired_resources(model: OrgModel, ids: dict[str, str]) -> list[dict[str, Any]]:
    from orgstack.registry import all_kinds

    found: list[dict[str, Any]] = []
    for kind in all_kinds():
        for address, value in sorted(kind.desired(model, ids).items()):
            found.append(_resource(kind.name, kind.type_of(address), address, value))
    return found


def _live_resources(model: OrgModel) -> list[dict[str, Any]]:
    from orgstack.registry import kind_for

    found: list[dict[str, Any]] = []
    for address, value in sorted((model.live_resources or {}).items()):
        kind = kind_for(address)
        if kind is not None and value is not None:
            found.append(_resource(kind.name, kind.type_of(address), address, value))
    return found


def _resource(kind: str, type_: str, address: str, value: Any) -> dict[str, Any]:
    return {"kind": kind, "type": type_, "address": address, "value": _plain(value)}


def _findings(report: Any) -> dict[str, Any]:
    """``validate --format json``'s findings, with each found rule's fix and documentation."""
    from orgstack.report.findings import to_json
    from orgstack.rules.registry import all_rules

    data = to_json(report)
    found = {f["rule_id"] for f in data["findings"]}
    data["rules"] = {
        r.id: {"name": r.name, "summary": r.summary, "fix": r.remediation, "doc_url": r.doc_url}
        for r in all_rules()
        if r.id in found
    }
    return data


def diagram(doc: Mapping[str, Any], output_format: str) -> bytes:
    """The document's picture in one of ``DIAGRAM_FORMATS``."""
    from orgstack.report.dot import dot
    from orgstack.report.mermaid import mermaid
    from orgstack.report.picture import picture

    pic = picture(doc)
    if output_format == "mermaid":
        return mermaid(pic).encode()
    if output_format == "dot":
        return dot(pic).encode()
    if output_format not in DIAGRAM_FORMATS:
        raise UsageError(
            f"--format {output_format}: not a diagram format",
            f"Use one of {', '.join(DIAGRAM_FORMATS)}.",
        )
    return layout(dot(pic), output_format)


def layout(source: str, output_format: str) -> bytes:
    """Graphviz's ``dot`` lays the DOT source out as SVG or PNG."""
    import graphviz

    try:
        laid_out: bytes = graphviz.Source(source).pipe(format=output_format)
        return laid_out
    except graphviz.ExecutableNotFound:
        raise UsageError(
            f"--format {output_format} needs Graphviz's `dot`, which is not on PATH",
            GRAPHVIZ_HINT,
        ) from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise UsageError(f"Graphviz could not lay the diagram out: {stderr.strip()}") from None


def has_graphviz() -> bool:
    import shutil

    return shutil.which("dot") is not None


def html_report(doc: Mapping[str, Any]) -> str:
    """The self-contained HTML report; its diagram is Graphviz's SVG when ``dot`` is there."""
    from orgstack.report.dot import dot
    from orgstack.report.html import render
    from orgstack.report.mermaid import mermaid
    from orgstack.report.picture import picture

    pic = picture(doc)
    svg = layout(dot(pic), "svg").decode() if has_graphviz() else None
    return render(doc, pic, svg=svg, mermaid=mermaid(pic))
