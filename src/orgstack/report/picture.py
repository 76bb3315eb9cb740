"""The organization as a picture: boxes, nesting and arrows, from the report's document.

One picture for every diagram format (``report/mermaid.py``, ``report/dot.py``): the root and
its OUs as nested clusters (each labelled with the guardrails attached to it), the accounts
coloured by purpose and outlined by stage, and the relations that make the design — switch-role
paths into the accounts by level, the log flow into the log archive, backup copies into the
backup account, the delegated administrators and each VPC's segment on the network account's
Transit Gateway — as far as the spec's kinds declare them. A
plan's changes mark what they touch (``change``); what a plan removes is drawn too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ROOT_ID = "org_root"
#: The parent of the boxes drawn outside the organization's tree (people, every account).
TOP = ""
#: The relation styles, in the order their edges are drawn.
RELATIONS = ("access", "logs", "backup", "admin", "network")
#: Beyond this many accounts, the workload and sandbox accounts of each OU are drawn as one box
#: per purpose and stage ("212 accounts"): a picture of 5,000 boxes helps nobody, and Graphviz
#: takes minutes to lay it out. The purpose accounts are always drawn one by one.
MAX_DRAWN = 150
MANY = ("workload", "sandbox")

#: Fill colour per purpose (dark text stays readable on each: contrast ≥ 7:1).
PURPOSE_FILL: dict[str, str] = {
    "management": "#fde68a",
    "security": "#fecaca",
    "log-archive": "#ddd6fe",
    "network": "#bae6fd",
    "backup": "#bbf7d0",
    "shared-services": "#e9d5ff",
    "build": "#fed7aa",
    "workload": "#e5e7eb",
    "sandbox": "#fbcfe8",
}
#: Outline colour per stage (prod red, dev green …); other stages and none: slate.
STAGE_STROKE: dict[str, str] = {
    "prod": "#b91c1c",
    "staging": "#c2410c",
    "int": "#a16207",
    "qa": "#a16207",
    "test": "#a16207",
    "dev": "#15803d",
}
OTHER_STROKE = "#475569"
CLUSTER_STROKE = "#64748b"
#: How a plan's action marks a box: fill of the marker and the word shown.
CHANGE_MARK: dict[str, str] = {
    "create": "#16a34a",
    "update": "#d97706",
    "move": "#2563eb",
    "tag": "#d97706",
    "untag": "#d97706",
    "delete": "#dc2626",
    "close": "#dc2626",
    "suspend": "#dc2626",
}
REMOVALS = ("delete", "close", "suspend")


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    address: str
    kind: str  # account | group (accounts drawn as one box) | identity | every
    parent: str  # cluster id
    purpose: str | None = None
    stage: str | None = None
    change: str | None = None

    @property
    def stroke(self) -> str:
        """The outline's colour: the plan's action on it, else its stage's."""
        if self.change:
            return CHANGE_MARK[self.change]
        return STAGE_STROKE.get(self.stage or "", OTHER_STROKE)

    @property
    def removed(self) -> bool:
        """A plan removes it (drawn dashed)."""
        return self.change in REMOVALS

    def lines(self) -> list[str]:
        """The box's text, line by line: its name, purpose and stage, what a plan does to it."""
        if self.kind in ("identity", "every"):
            return [self.label]
        details = [d for d in (self.purpose, self.stage) if d and d != self.label]
        return (
            [self.label]
            + ([" · ".join(details)] if details else [])
            + ([self.change] if self.change else [])
        )


@dataclass(frozen=True)
class Cluster:
    id: str
    label: str
    address: str
    parent: str | None
    guardrails: tuple[str, ...] = ()
    change: str | None = None

    @property
    def stroke(self) -> str:
        return CHANGE_MARK[self.change] if self.change else CLUSTER_STROKE

    def lines(self) -> list[str]:
        """The cluster's title, line by line: its name (and the plan's action), its guardrails."""
        title = self.label + (f" ({self.change})" if self.change else "")
        return [title] + (["guardrails: " + ", ".join(self.guardrails)] if self.guardrails else [])


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    relation: str  # access | logs | backup | admin


@dataclass
class Picture:
    title: str
    clusters: list[Cluster] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    #: How many accounts are drawn in groups (see MAX_DRAWN).
    grouped: int = 0

    def nesting(self) -> tuple[dict[str | None, list[Cluster]], dict[str, list[Node]]]:
        """The clusters inside each cluster (None: the top) and the boxes inside each."""
        children: dict[str | None, list[Cluster]] = {}
        for cluster in self.clusters:
            children.setdefault(cluster.parent, []).append(cluster)
        nodes: dict[str, list[Node]] = {}
        for node in self.nodes:
            nodes.setdefault(node.parent, []).append(node)
        return children, nodes

    def purposes(self) -> list[str]:
        return sorted({n.purpose for n in self.nodes if n.purpose}, key=_purpose_order)


def safe_id(prefix: str, name: str) -> str:
    """An identifier every format accepts: letters, digits and ``_`` (others as ``_xx``)."""
    return prefix + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in name)


def _purpose_order(purpose: str) -> int:
    order = list(PURPOSE_FILL)
    return order.index(purpose) if purpose in order else len(order)


def picture(doc: Mapping[str, Any]) -> Picture:
    model = doc["model"]
    changes = _changes(doc.get("plan"))
    title = model["organization"]["name"]
    pic = Picture(title)
    guardrails: dict[str, list[str]] = {}
    for policy in model["policies"]:
        if policy["aws_managed"]:
            continue  # FullAWSAccess, everywhere by default: noise in a picture
        for target in policy["targets"]:
            guardrails.setdefault(target, []).append(policy["name"])
    pic.clusters.append(
        Cluster(
            ROOT_ID, "Root", "root", None, tuple(guardrails.get("root", ())), changes.get("root")
        )
    )
    ous = {ou["path"] for ou in model["organizational_units"]}
    ous |= {c["address"][3:] for c in _removed(doc, "ou:")} - ous
    for path in sorted(ous, key=lambda p: (p.count("/"), p)):
        address = f"ou:{path}"
        parent = safe_id("ou_", path.rsplit("/", 1)[0]) if "/" in path else ROOT_ID
        pic.clusters.append(
            Cluster(
                safe_id("ou_", path),
                path.rsplit("/", 1)[-1],
                address,
                parent,
                tuple(guardrails.get(address, ())),
                changes.get(address),
            )
        )
    names = set()
    for account in model["accounts"]:
        names.add(account["name"])
        pic.nodes.append(_account_node(account, changes.get(account["address"]), ous))
    for removed in _removed(doc, "account:"):
        before = removed.get("before") or {}
        name = removed["address"].split(":", 1)[1]
        if name not in names:
            names.add(name)
            account = {"name": name, "address": removed["address"], **before}
            pic.nodes.append(_account_node(account, removed["action"], ous))
    pic.edges += _relations(doc, {n.label: n.id for n in pic.nodes if n.kind == "account"}, pic)
    if sum(n.kind == "account" for n in pic.nodes) > MAX_DRAWN:
        _group(pic)
    return pic


def _group(pic: Picture) -> None:
    """Draw each OU's workload and sandbox accounts as one box per purpose and stage; their
    relations become the box's (levels merged), their changes its counts."""
    members: dict[tuple[str, str, str], list[Node]] = {}
    for node in pic.nodes:
        if node.kind == "account" and node.purpose in MANY:
            members.setdefault((node.parent, node.purpose or "", node.stage or ""), []).append(node)
    into: dict[str, str] = {}
    groups: list[Node] = []
    rank = list(CHANGE_MARK)
    for (parent, purpose, stage), nodes in members.items():
        group = safe_id("group_", f"{parent}.{purpose}.{stage}")
        counts: dict[str, int] = {}
        for node in nodes:
            into[node.id] = group
            if node.change:
                counts[node.change] = counts.get(node.change, 0) + 1
        label = f"{len(nodes)} accounts" if len(nodes) > 1 else nodes[0].label
        change = max(counts, key=rank.index) if counts else None
        if counts:
            label += " (" + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) + ")"
        groups.append(Node(group, label, "", "group", parent, purpose, stage or None, change))
        pic.grouped += len(nodes)
    pic.nodes = [n for n in pic.nodes if n.id not in into] + groups
    merged: dict[tuple[str, str, str], set[str]] = {}
    for edge in pic.edges:
        key = (
            into.get(edge.source, edge.source),
            into.get(edge.target, edge.target),
            edge.relation,
        )
        if key[0] != key[1]:
            merged.setdefault(key, set()).update(edge.label.split(", "))
    pic.edges = [
        Edge(source, target, ", ".join(sorted(labels)), relation)
        for (source, target, relation), labels in merged.items()
    ]


def _account_node(account: Mapping[str, Any], change: str | None, ous: set[str]) -> Node:
    ou = account.get("ou") or "root"
    return Node(
        safe_id("acct_", account["name"]),
        account["name"],
        account["address"],
        "account",
        safe_id("ou_", ou) if ou in ous else ROOT_ID,
        account.get("purpose"),
        account.get("stage"),
        change,
    )


def _changes(plan: Mapping[str, Any] | None) -> dict[str, str]:
    """The strongest action per organization address (``account:…``, ``ou:…``, ``root``)."""
    found: dict[str, str] = {}
    rank = list(CHANGE_MARK)
    for change in (plan or {}).get("changes", []):
        address, action = change["address"], change["action"]
        if action not in CHANGE_MARK:
            continue
        if address not in found or rank.index(action) > rank.index(found[address]):
            found[address] = action
    return found


def _removed(doc: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    plan = doc.get("plan") or {}
    return [
        c
        for c in plan.get("changes", [])
        if c["address"].startswith(prefix) and c["action"] in ("delete", "close", "suspend")
    ]


def _relations(doc: Mapping[str, Any], ids: dict[str, str], pic: Picture) -> list[Edge]:
    """The kinds' relations (``doc["relations"]``, from each kind's view) as edges between the
    drawn accounts; a relation from a ``node`` of its own (the people, every account) adds
    that node at the top. Relations with the same ends, style and ``suffix`` are one edge
    (``CloudTrail and Config logs``)."""

    def rank(relation: Mapping[str, Any]) -> int:
        style = relation.get("style")
        return RELATIONS.index(style) if style in RELATIONS else len(RELATIONS)

    merged: dict[tuple[str, str, str, str], list[str]] = {}
    for relation in sorted(doc.get("relations", []), key=rank):
        node = relation.get("node")
        if "to" in relation and relation["to"] not in ids:
            continue
        if node is not None and not any(n.id == node["id"] for n in pic.nodes):
            pic.nodes.append(Node(node["id"], node["label"], node["address"], node["kind"], TOP))
        if "to" not in relation:
            continue
        source = node["id"] if node is not None else ids.get(relation.get("from", ""))
        if source is None:
            continue
        key = (source, ids[relation["to"]], relation["style"], relation.get("suffix", ""))
        merged.setdefault(key, []).append(relation["label"])
    return [
        Edge(source, target, " and ".join(labels) + (f" {suffix}" if suffix else ""), style)
        for (source, target, style, suffix), labels in merged.items()
    ]
