"""``orgstack isolation``'s output: the paths as text (each with what opens it and how to close
it, then the stage matrix), versioned JSON, and SARIF 2.1.0 (one rule per kind of path)."""

from __future__ import annotations

from typing import Any

from orgstack.model.isolation import KINDS
from orgstack.report.findings import sarif_log

ISOLATION_FORMAT_VERSION = 1
#: What each kind of path is, in KINDS' order.
WHAT = dict(
    zip(
        KINDS,
        (
            "a role's trust admits principals of another domain",
            "a resource policy admits principals of another domain",
            "a RAM share gives another domain's accounts a resource",
            "a network route connects another domain's VPCs",
        ),
        strict=True,
    )
)


def to_text(result: Any) -> str:
    """What crosses, one path a paragraph, then the matrix and what was allowed."""
    lines = []
    where = "the spec (offline)" if result.offline else "the live organization"
    for path in result.found:
        lines += [
            f"✗ {path.source} ({path.source_domain}) → {path.target} ({path.target_domain}): "
            f"{path.kind}",
            f"    {path.resource}",
            f"    opened by: {path.opening}",
            f"    close it: {path.fix}",
        ]
    if result.stages:
        width = max(len(s) for s in [*result.stages, "from \\ to"])
        lines.append("")
        lines.append("Paths between stages (from row to column):")
        lines.append(
            " ".join(["from \\ to".ljust(width), *(s.rjust(width) for s in result.stages)])
        )
        for row, counts in result.matrix.items():
            cells = ("·" if row == col else str(n) for col, n in counts.items())
            lines.append(" ".join([row.ljust(width), *(c.rjust(width) for c in cells)]))
    if result.allowed:
        lines.append("")
        lines.append(f"Allowed by isolation.allow ({len(result.allowed)}):")
        lines += [
            f"  ✓ {p.source} → {p.target} ({p.kind}, {p.resource}): {why}"
            for p, why in result.allowed
        ]
    lines.append("")
    count = len(result.found)
    lines.append(
        f"{count} path{'s' if count != 1 else ''} between domains in {where} that "
        "isolation.allow does not allow."
        if count
        else f"No path between domains in {where} beyond what isolation.allow allows."
    )
    return "\n".join(lines) + "\n"


def to_json(result: Any) -> dict[str, Any]:
    return {
        "format_version": ISOLATION_FORMAT_VERSION,
        "offline": result.offline,
        "paths": [p.to_dict() for p in result.found],
        "allowed": [p.to_dict() | {"reason": why} for p, why in result.allowed],
        "matrix": result.matrix,
        "read": result.read,
    }


def to_sarif(result: Any) -> dict[str, Any]:
    """One rule per kind of path; each path a result at its resource's ARN."""
    rules = [
        {"id": f"isolation/{kind}", "name": kind, "shortDescription": {"text": WHAT[kind]},
         "defaultConfiguration": {"level": "error"}}
        for kind in KINDS
    ]  # fmt: skip
    results = [
        {
            "ruleId": f"isolation/{p.kind}",
            "ruleIndex": KINDS.index(p.kind),
            "level": "error",
            "message": {
                "text": f"{p.source} ({p.source_domain}) reaches {p.target} ({p.target_domain}): "
                f"{p.opening}; close it: {p.fix}"
            },
            "locations": [{"logicalLocations": [{"fullyQualifiedName": p.resource}]}],
        }
        for p in result.found
    ]
    return sarif_log(rules, results)
