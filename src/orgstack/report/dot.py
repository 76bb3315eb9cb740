"""The picture in Graphviz's DOT language; Graphviz's ``dot`` lays it out (flows/reporting.py).

Every account, OU and relation carries an ``id`` and a tooltip, so the SVG can be searched and
read by a screen reader (each box's ``<title>`` is its name).
"""

from __future__ import annotations

import graphviz

from orgstack.report.picture import (
    PURPOSE_FILL,
    TOP,
    Cluster,
    Node,
    Picture,
)

STYLE = {
    "access": "solid",
    "logs": "dashed",
    "backup": "bold",
    "admin": "dotted",
    "network": "solid",
}
EDGE_COLOUR = {
    "access": "#1d4ed8",
    "logs": "#6d28d9",
    "backup": "#15803d",
    "admin": "#b91c1c",
    "network": "#0369a1",
}
FONT = "DejaVu Sans,Liberation Sans,Arial,sans-serif"


def text(*lines: str) -> str:
    """Lines of text as DOT takes them literally: backslashes escaped (``\\l`` is no command)
    and never read as an HTML-like label (a name like ``<b>x</b>`` stays text)."""
    return graphviz.nohtml("\n".join(graphviz.escape(line) for line in lines))  # type: ignore[no-any-return]


def dot(pic: Picture) -> str:
    graph = graphviz.Digraph(
        "organization",
        graph_attr={
            "label": text(pic.title),
            "labelloc": "t",
            "fontname": FONT,
            "fontsize": "18",
            "rankdir": "TB",
            "compound": "true",
            "newrank": "true",
            "nodesep": "0.25",
            "ranksep": "0.6",
        },
        node_attr={"fontname": FONT, "fontsize": "11", "shape": "box", "style": "rounded,filled"},
        edge_attr={"fontname": FONT, "fontsize": "9"},
    )
    children, nodes = pic.nesting()

    def emit(into: graphviz.Digraph, cluster: Cluster) -> None:
        with into.subgraph(name=f"cluster_{cluster.id}") as sub:
            sub.attr(
                label=text(*cluster.lines()),
                id=cluster.id,
                tooltip=text(cluster.address),
                style="rounded",
                color=cluster.stroke,
                penwidth="2.5" if cluster.change else "1",
                fontname=FONT,
                fontsize="12",
            )
            for node in nodes.get(cluster.id, []):
                _node(sub, node)
            for child in children.get(cluster.id, []):
                emit(sub, child)

    for node in nodes.get(TOP, []):
        _node(graph, node)
    for top in children.get(None, []):
        emit(graph, top)
    for edge in pic.edges:
        graph.edge(
            edge.source,
            edge.target,
            label=text(edge.label),
            style=STYLE.get(edge.relation, "solid"),
            color=EDGE_COLOUR.get(edge.relation, "#334155"),
            fontcolor=EDGE_COLOUR.get(edge.relation, "#334155"),
            **{"class": edge.relation},
        )
    source: str = graph.source
    return source


def _node(into: graphviz.Digraph, node: Node) -> None:
    if node.kind in ("identity", "every"):
        fill = "#dbeafe" if node.kind == "identity" else "#f1f5f9"
        name = text(node.label)
        into.node(node.id, name, shape="ellipse", fillcolor=fill, id=node.id, tooltip=name)
        return
    style = "rounded,filled" + (",dashed" if node.removed else "")
    into.node(
        node.id,
        text(*node.lines()),
        id=node.id,
        tooltip=text(node.address),
        fillcolor=PURPOSE_FILL.get(node.purpose or "", "#ffffff"),
        color=node.stroke,
        penwidth="3" if node.change else "2",
        peripheries="2" if node.kind == "group" else "1",
        style=style,
        **{"class": f"account {node.purpose or ''}".strip()},
    )
