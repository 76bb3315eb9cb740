"""Rule findings as text (grouped by severity), versioned JSON, and SARIF 2.1.0."""

from __future__ import annotations

from typing import Any

from orgstack import __version__
from orgstack.rules.base import Finding, Severity
from orgstack.rules.engine import RuleReport

FINDINGS_FORMAT_VERSION = 1
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/orgstack/orgstack"


def _where(finding: Finding) -> str:
    return str(finding.source) if finding.source else finding.address


#: The SARIF rule of a spec problem (a schema or reference error, not a rule's finding).
SPEC_PROBLEM_RULE: dict[str, Any] = {
    "id": "spec",
    "name": "spec-problem",
    "shortDescription": {"text": "The spec cannot be loaded as written."},
    "fullDescription": {"text": "A key, value or reference the spec schema refuses."},
    "help": {"text": "Fix it as the message says; `orgstack schema` prints every allowed key."},
    "defaultConfiguration": {"level": "error"},
}


def summary_line(report: RuleReport) -> str:
    parts = [
        f"{report.count(s)} {s.value}{'s' if report.count(s) != 1 and s != Severity.INFO else ''}"
        for s in Severity
    ]
    line = ", ".join(parts) + f" ({len(report.rules)} rules"
    if report.suppressed:
        line += f", {len(report.suppressed)} suppressed"
    line += ")"
    if report.partial:
        line += " on the parts of the spec without problems; the spec's problems follow"
    return line


def to_text(report: RuleReport) -> str:
    """``file:line:column: LZnnn name: message`` lines under one heading per severity."""
    lines: list[str] = []
    for severity in Severity:
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"{severity.value.upper()} ({len(group)})")
        lines += [f"  {_where(f)}: {f.rule_id} {f.rule_name}: {f.message}" for f in group]
    for suppression in report.unused_suppressions:
        where = f"{suppression.source}: " if suppression.source else ""
        lines.append(
            f"note: {where}ignore entry for {suppression.rule} on {suppression.target} "
            "matched nothing"
        )
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _finding_dict(finding: Finding) -> dict[str, Any]:
    src = finding.source
    return {
        "rule_id": finding.rule_id,
        "rule": finding.rule_name,
        "severity": finding.severity.value,
        "address": finding.address,
        "message": finding.message,
        "file": src.file if src else None,
        "line": src.line if src else None,
        "column": src.column if src else None,
    }


def to_json(report: RuleReport) -> dict[str, Any]:
    return {
        "format_version": FINDINGS_FORMAT_VERSION,
        "findings": [_finding_dict(f) for f in report.findings],
        "suppressed": [
            {**_finding_dict(f), "reason": s.reason, "ignore_target": s.target}
            for f, s in report.suppressed
        ],
        "summary": {s.value: report.count(s) for s in Severity} | {"rules": len(report.rules)},
        # True when the spec had problems (also on stderr) and the rules ran on the rest.
        "partial": report.partial,
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in report.problems
        ],
    }


def to_sarif(report: RuleReport) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run, the rules run as the driver's rules, one result a finding."""
    index = {rule.id: i for i, rule in enumerate(report.rules)}
    rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": f"{r.what} {r.rationale}"},
            "help": {"text": r.remediation},
            "helpUri": r.doc_url,
            "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
            "properties": {"category": r.category},
        }
        for r in report.rules
    ]
    results = []
    for f in report.findings:
        location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": f.address}]}
        if f.source:
            location["physicalLocation"] = {
                "artifactLocation": {"uri": f.source.file},
                "region": {"startLine": f.source.line, "startColumn": f.source.column},
            }
        results.append(
            {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
            }
        )
    if report.problems:
        rules.append(SPEC_PROBLEM_RULE)
    results += [
        {
            "ruleId": SPEC_PROBLEM_RULE["id"],
            "ruleIndex": len(rules) - 1,
            "level": "error",
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": p.file},
                        "region": {"startLine": p.line, "startColumn": p.column},
                    }
                }
            ],
        }
        for p in report.problems
    ]
    return sarif_log(rules, results)


def sarif_log(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one orgstack run: its rules and results."""
    driver = {"name": "orgstack", "version": __version__, "informationUri": INFO_URI,
              "rules": rules}  # fmt: skip
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
