"""Read YAML into plain data plus the file, line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from orgstack.errors import Problem

Path = tuple[str | int, ...]
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Pos:
    """A 1-based position in a file."""

    file: str
    line: int
    column: int

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.column, message)


@dataclass
class Located:
    """Plain data read from YAML, with where each key and value stands."""

    data: Any
    keys: dict[Path, Pos] = field(default_factory=dict)
    values: dict[Path, Pos] = field(default_factory=dict)

    def key_pos(self, path: Path) -> Pos:
        """Where the key naming ``path`` stands, else the nearest enclosing position."""
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Pos("<spec>", 1, 1))

    def value_pos(self, path: Path) -> Pos:
        """Where the value at ``path`` stands, else the nearest enclosing position."""
        return self.values[path] if path in self.values else self.key_pos(path)


def read_yaml(text: str, file: str) -> tuple[Located, list[Problem]]:
    """Parse one YAML document; syntax errors and duplicate keys come back as problems."""
    yaml = YAML(typ="safe", pure=True)
    try:
        nodes = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "malformed YAML"
        return Located(None), [Problem(file, line, column, f"YAML syntax error: {what}")]
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return Located(None), [
            Problem(
                file,
                mark.line + 1,
                mark.column + 1,
                "one YAML document per file (found a second '---')",
            )
        ]
    if not nodes or nodes[0] is None:
        return Located(None, values={(): Pos(file, 1, 1)}), []
    walker = _Walker(yaml, file)
    located = Located(None)
    located.data = walker.build(nodes[0], (), located)
    return located, walker.problems


class _Walker:
    def __init__(self, yaml: YAML, file: str) -> None:
        self.yaml = yaml
        self.file = file
        self.problems: list[Problem] = []

    def pos(self, node: Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path, out: Located) -> Any:
        out.values[path] = self.pos(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, path, out)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), out) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.yaml.constructor.construct_object(node, deep=True)

    def mapping(self, node: MappingNode, path: Path, out: Located) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                merged.extend(s for s in sources if isinstance(s, MappingNode))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    self.pos(key_node).problem("a key must be a plain word, not a list or mapping")
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = out.keys[(*path, key)]
                self.problems.append(
                    self.pos(key_node).problem(
                        f"duplicate key '{key}' (first defined at line {first.line}); "
                        "each key may appear once"
                    )
                )
                continue
            out.keys[(*path, key)] = self.pos(key_node)
            result[key] = self.build(value_node, (*path, key), out)
        for source in merged:
            # YAML merge keys (<<: *anchor): explicit keys win over merged ones.
            scratch = Located(None)
            for key, value in self.mapping(source, path, scratch).items():
                if key in result:
                    continue
                result[key] = value
                prefix = (*path, key)
                for table, target in ((scratch.keys, out.keys), (scratch.values, out.values)):
                    target.update({p: v for p, v in table.items() if p[: len(prefix)] == prefix})
        return result
