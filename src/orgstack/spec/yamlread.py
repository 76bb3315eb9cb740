"""Read YAML into plain data plus the file, line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from orgstack.errors import Problem
from orgstack.spec import yamlfast

Path = tuple[str | int, ...]
MERGE_TAG = "tag:yaml.org,2002:merge"

#: Limits that keep a hostile file from hanging orgstack (docs/spec-limits in the README):
#: values a YAML file may hold in all (aliases expanded), values reached again through an
#: alias, how deep mappings and lists may nest, and the length of one value.
MAX_VALUES = 300_000
MAX_ALIAS_USES = 10_000
MAX_DEPTH = 64
MAX_SCALAR = 1_048_576


class Pos(NamedTuple):
    """A 1-based position in a file (a tuple: a spec holds one per key and value, 170,000 in a
    5,000-account spec, and a tuple is made 10 times faster than a frozen dataclass)."""

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
    """Parse one YAML document; syntax errors, duplicate keys and what passes the limits above
    come back as problems (never an exception, never a hang)."""
    # YAML 1.2 as ruamel's pure parser reads it; libyaml's events composed with ruamel's
    # resolver where that gives the same nodes, 25 times faster (spec/yamlfast.py).
    yaml = YAML(typ="safe", pure=True)
    # Every value but the first needs a separator (a comma or a line): a cheap upper bound
    # that refuses a file of a million values before the (slow) YAML parser reads it.
    if text.count(",") + text.count("\n") > MAX_VALUES:
        return Located(None), [
            Problem(file, 1, 1, f"more than {MAX_VALUES:,} values; split the spec into files")
        ]
    built = yamlfast.build(text, yaml, file, (MAX_VALUES, MAX_DEPTH, MAX_SCALAR), Pos)
    if built is not None:  # the common case, in one pass (spec/yamlfast.py)
        data, keys, values = built
        return Located(data, keys, values), []
    fast = yamlfast.compose(text, yaml, MAX_DEPTH + 1)
    try:
        nodes = fast if fast is not None else list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "malformed YAML"
        return Located(None), [Problem(file, line, column, f"YAML syntax error: {what}")]
    except ReaderError as exc:
        line, column = _line_column(text, exc.position)
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        return Located(None), [
            Problem(
                file,
                line,
                column,
                f"control character #x{code:04x} is not allowed in YAML; remove it, or write it "
                'as an escape inside double quotes (e.g. "\\a")',
            )
        ]
    except RecursionError:
        return Located(None), [
            Problem(file, 1, 1, f"nested too deeply to read (at most {MAX_DEPTH} levels)")
        ]
    except YAMLError as exc:
        return Located(None), [Problem(file, 1, 1, f"YAML error: {exc}")]
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
    try:
        located.data = walker.build(nodes[0], (), located)
    except _RefusedError as refused:
        return Located(None), [*walker.problems, refused.problem]
    return located, walker.problems


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


class _RefusedError(Exception):
    """The document passes a limit: reading stops at once with this problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Walker:
    def __init__(self, yaml: YAML, file: str) -> None:
        self.yaml = yaml
        self.file = file
        self.problems: list[Problem] = []
        self.values = 0
        self.alias_uses = 0
        self.seen: set[int] = set()
        self.open: set[int] = set()

    def pos(self, node: Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def refuse(self, node: Node, message: str) -> _RefusedError:
        return _RefusedError(self.pos(node).problem(message))

    def build(self, node: Node, path: Path, out: Located) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.refuse(node, f"more than {MAX_VALUES:,} values (aliases expanded)")
        if len(path) > MAX_DEPTH:
            raise self.refuse(node, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.open:
            raise self.refuse(node, "an alias refers to a value that contains it (recursive alias)")
        if id(node) in self.seen and not isinstance(node, ScalarNode):
            self.alias_uses += 1
            if self.alias_uses > MAX_ALIAS_USES:
                raise self.refuse(
                    node,
                    f"aliases expand to more than {MAX_ALIAS_USES:,} copies (an alias bomb?); "
                    "write the values out, or use fewer aliases",
                )
        self.seen.add(id(node))
        if isinstance(node, (MappingNode, SequenceNode)):
            self.open.add(id(node))
            try:
                return self._build(node, path, out)
            finally:
                self.open.discard(id(node))
        return self._build(node, path, out)

    def _build(self, node: Node, path: Path, out: Located) -> Any:
        out.values[path] = self.pos(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, path, out)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), out) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if len(node.value) > MAX_SCALAR:
            raise self.refuse(
                node, f"a value of {len(node.value):,} characters; at most {MAX_SCALAR:,}"
            )
        try:
            return self.yaml.constructor.construct_object(node, deep=True)
        except MarkedYAMLError:
            self.problems.append(
                self.pos(node).problem(
                    f"the YAML tag {node.tag} is not allowed; a spec holds plain values "
                    "(text, numbers, true/false, lists, mappings)"
                )
            )
            return None

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
