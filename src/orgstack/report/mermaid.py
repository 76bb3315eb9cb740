"""The picture as a Mermaid flowchart (renders on GitHub, GitLab and in most wikis)."""

from __future__ import annotations

from orgstack.report.picture import (
    PURPOSE_FILL,
    TOP,
    Cluster,
    Node,
    Picture,
)

#: Mermaid's link styles per relation: solid, dotted, thick.
ARROWS = {"access": "-->", "logs": "-.->", "backup": "==>", "admin": "-.->", "network": "---"}


def text(*lines: str) -> str:
    """Lines of a label in double quotes, with Mermaid's entity codes for what would end it
    (or be read as markup)."""
    escaped = (
        "".join(f"#{ord(c)};" if c in '"#<>[]{}|`\\&' else c for c in line) for line in lines
    )
    return '"' + "<br/>".join(escaped) + '"'


def mermaid(pic: Picture) -> str:
    lines = ["---", f"title: {text(pic.title)}", "---", "flowchart TB"]
    children, nodes = pic.nesting()

    def emit(cluster: Cluster, depth: int) -> None:
        pad = "  " * depth
        lines.append(f"{pad}subgraph {cluster.id}[{text(*cluster.lines())}]")
        for node in nodes.get(cluster.id, []):
            lines.append(f"{pad}  {node.id}{_shape(node)}")
        for child in children.get(cluster.id, []):
            emit(child, depth + 1)
        lines.append(f"{pad}end")

    for node in nodes.get(TOP, []):
        lines.append(f"  {node.id}{_shape(node)}")
    for top in children.get(None, []):
        emit(top, 1)
    for edge in pic.edges:
        arrow = ARROWS.get(edge.relation, "-->")
        lines.append(f"  {edge.source} {arrow}|{text(edge.label)}| {edge.target}")
    lines += _styles(pic)
    return "\n".join(lines) + "\n"


def _shape(node: Node) -> str:
    label = text(*node.lines())
    if node.kind in ("identity", "every"):
        return f"([{label}])"
    return f"[[{label}]]" if node.kind == "group" else f"[{label}]"


def _styles(pic: Picture) -> list[str]:
    lines: list[str] = []
    for purpose in pic.purposes():
        fill = PURPOSE_FILL.get(purpose, "#ffffff")
        lines.append(f"  classDef p_{purpose.replace('-', '_')} fill:{fill},color:#111827")
    for node in pic.nodes:
        if node.kind in ("identity", "every"):
            continue
        if node.purpose:
            lines.append(f"  class {node.id} p_{node.purpose.replace('-', '_')}")
        width = "3px" if node.change else "2px"
        dash = ",stroke-dasharray:5 5" if node.removed else ""
        lines.append(f"  style {node.id} stroke:{node.stroke},stroke-width:{width}{dash}")
    for cluster in pic.clusters:
        if cluster.change:
            lines.append(f"  style {cluster.id} stroke:{cluster.stroke},stroke-width:3px")
    return lines
