"""A fast way to the same YAML nodes: libyaml's C parser for the events, composed here.

ruamel's pure parser reads YAML 1.2 but takes ~6 s for a 10,000-account spec; libyaml
(through PyYAML) scans and parses the same file in 0.2 s. Only the scanning and parsing come
from libyaml: the nodes are composed here, iteratively (libyaml's own composer recurses in C,
which a hostile nesting depth could overflow), and every scalar's tag is resolved by ruamel's
YAML 1.2 resolver, so ``yes`` stays text and ``010`` a number, as with the pure parser.

Whenever the two could differ, the caller reads the text with the pure parser instead: any
libyaml error (the pure parser's message is the one users see), explicit tags or directives
(``!``, ``%``), and the characters YAML 1.1 takes as line breaks and 1.2 does not.

``build`` goes one step further for the common case — no anchors, aliases or merge keys, no
duplicate or non-scalar keys, nothing past a limit — and makes the plain data and every
position straight from the events, in one pass (a 5,000-account spec: 0.4 s instead of 1.3 s).
Anything else returns None, and the caller composes nodes and walks them (``yamlread``), which
reports each problem; the two give the same result (tests/unit/test_yaml_fast.py).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.tag import Tag

#: Text the fast path leaves to the pure parser (see the module docstring): a tag or a
#: directive where a token can start, a tab, and YAML 1.1's extra line breaks.
PURE_ONLY = re.compile(r"(?:^|[\s\[{,])!|^%|[\t\x85\u2028\u2029]", re.MULTILINE)


def compose(text: str, yaml: YAML, max_depth: int) -> list[Node] | None:
    """The documents of ``text`` as ruamel nodes, or None when the pure parser must read it."""
    if PURE_ONLY.search(text):
        return None
    import yaml as pyyaml
    from yaml import events

    loader = getattr(pyyaml, "CSafeLoader", None)
    if loader is None:  # PyYAML built without libyaml
        return None
    resolve = _scalar_resolver(yaml)
    resolver = yaml.resolver
    documents: list[Node] = []
    stack: list[Node] = []
    anchors: dict[str, Node] = {}
    pending_key: list[Node | None] = []
    try:
        for event in pyyaml.parse(text, Loader=loader):
            if isinstance(event, (events.ScalarEvent, events.AliasEvent)):
                if isinstance(event, events.AliasEvent):
                    if event.anchor not in anchors:
                        return None
                    node = anchors[event.anchor]
                else:
                    tag = resolve(event.value, event.implicit[0])
                    node = ScalarNode(
                        tag, event.value, event.start_mark, event.end_mark, style=event.style
                    )
                    if event.anchor is not None:
                        anchors[event.anchor] = node
                _add(stack, pending_key, documents, node)
            elif isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
                if len(stack) >= max_depth:
                    return None  # the pure parser reports it, as it always has
                mapping = isinstance(event, events.MappingStartEvent)
                kind = MappingNode if mapping else SequenceNode
                tag = resolver.resolve(kind, None, event.implicit)
                node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                if event.anchor is not None:
                    anchors[event.anchor] = node
                _add(stack, pending_key, documents, node)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                stack.pop().end_mark = event.end_mark
                pending_key.pop()
    except pyyaml.YAMLError:
        return None
    return documents


class _UnusualError(Exception):
    """The text needs the walker (an anchor, a merge key, a duplicate, a limit …)."""


def build(
    text: str, yaml: YAML, file: str, limits: tuple[int, int, int], pos: Any
) -> tuple[Any, dict[Any, Any], dict[Any, Any]] | None:
    """(data, key positions, value positions) straight from libyaml's events, or None when
    the text needs the walker. ``limits``: (values, depth, characters of one value)."""
    if PURE_ONLY.search(text):
        return None
    import yaml as pyyaml

    loader = getattr(pyyaml, "CSafeLoader", None)
    if loader is None:
        return None
    builder = _Builder(yaml, file, limits, pos)
    try:
        for event in pyyaml.parse(text, Loader=loader):
            builder.event(event)
    except (_UnusualError, pyyaml.YAMLError, MarkedYAMLError):
        return None
    if len(builder.documents) != 1:
        return None
    return builder.documents[0], builder.keys, builder.values


class _Builder:
    def __init__(self, yaml: YAML, file: str, limits: tuple[int, int, int], pos: Any) -> None:
        from yaml import events

        self.file, self.pos = file, pos
        self.max_values, self.max_depth, self.max_scalar = limits
        self.resolve = _scalar_resolver(yaml)
        self.str_tag = yaml.resolver.DEFAULT_SCALAR_TAG
        self.construct = yaml.constructor.construct_object
        self.keys: dict[Any, Any] = {}
        self.values: dict[Any, Any] = {}
        self.documents: list[Any] = []
        # One frame per open container: [container, path, pending key (None: a key is next)].
        self.stack: list[list[Any]] = []
        self.count = 0
        self.scalar, self.alias = events.ScalarEvent, events.AliasEvent
        self.mapping_start = events.MappingStartEvent
        self.starts = (events.MappingStartEvent, events.SequenceStartEvent)
        self.ends = (events.MappingEndEvent, events.SequenceEndEvent)

    def wants_key(self) -> bool:
        if not self.stack:
            return False
        frame = self.stack[-1]
        return not isinstance(frame[0], list) and frame[2] is None

    def event(self, event: Any) -> None:
        if isinstance(event, self.scalar):
            if event.anchor is not None or len(event.value) > self.max_scalar:
                raise _UnusualError
            value, plain = event.value, event.implicit[0]
            if self.wants_key():
                if plain and value == "<<":
                    raise _UnusualError  # a merge key
            else:
                tag = self.resolve(value, plain)
                if tag is not self.str_tag:
                    node = ScalarNode(tag, value, event.start_mark, event.end_mark)
                    value = self.construct(node, deep=True)
            self.place(value, event.start_mark)
        elif isinstance(event, self.starts):
            if event.anchor is not None or len(self.stack) >= self.max_depth or self.wants_key():
                raise _UnusualError  # an anchor, too deep, or a list or mapping as a key
            container: Any = {} if isinstance(event, self.mapping_start) else []
            self.stack.append([container, self.place(container, event.start_mark), None])
        elif isinstance(event, self.ends):
            self.stack.pop()
        elif isinstance(event, self.alias):
            raise _UnusualError

    def place(self, value: Any, mark: Any) -> tuple[Any, ...] | None:
        """Put a value where it belongs; its path (None: it was a key)."""
        if not self.stack:
            path: tuple[Any, ...] = ()
            self.documents.append(value)
        else:
            frame = self.stack[-1]
            container = frame[0]
            if isinstance(container, list):
                path = (*frame[1], len(container))
                container.append(value)
            elif frame[2] is None:
                if value in container:
                    raise _UnusualError  # a duplicate key: the walker reports it
                frame[2] = value
                self.keys[(*frame[1], value)] = self.pos(self.file, mark.line + 1, mark.column + 1)
                return None
            else:
                path = (*frame[1], frame[2])
                container[frame[2]] = value
                frame[2] = None
        self.count += 1
        if self.count > self.max_values or len(path) > self.max_depth:
            raise _UnusualError
        self.values[path] = self.pos(self.file, mark.line + 1, mark.column + 1)
        return path


def _scalar_resolver(yaml: YAML) -> Any:
    """ruamel's resolution of a scalar's tag (``Resolver.resolve``), with its YAML 1.2 table
    looked up once instead of at every scalar."""
    resolver = yaml.resolver
    table = resolver.versioned_resolver
    anywhere = list(table.get(None, []))
    tags: dict[str, Tag] = {}
    default = resolver.DEFAULT_SCALAR_TAG

    def resolve(value: str, plain: bool) -> Any:
        if not plain:
            return default
        for tag, regexp in [*table.get(value[:1], []), *anywhere]:
            if regexp.match(value):
                if tag not in tags:
                    tags[tag] = Tag(suffix=tag)
                return tags[tag]
        return default

    return resolve


def _add(
    stack: list[Node], pending_key: list[Node | None], documents: list[Node], node: Node
) -> None:
    """Put ``node`` where it belongs: a document, a list item, a mapping's key or value."""
    if not stack:
        documents.append(node)
        return
    parent = stack[-1]
    if isinstance(parent, SequenceNode):
        parent.value.append(node)
    elif pending_key[-1] is None:
        pending_key[-1] = node
    else:
        parent.value.append((pending_key[-1], node))
        pending_key[-1] = None
