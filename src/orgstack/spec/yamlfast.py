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
#: The characters PURE_ONLY looks for: most specs have none, and ``in`` finds that 30 times
#: faster than the expression does.
PURE_CHARS = "!%\t\x85\u2028\u2029"


def pure_only(text: str) -> bool:
    """Whether the text needs the pure parser (see PURE_ONLY)."""
    return any(c in text for c in PURE_CHARS) and PURE_ONLY.search(text) is not None


def compose(text: str, yaml: YAML, max_depth: int) -> list[Node] | None:
    """The documents of ``text`` as ruamel nodes, or None when the pure parser must read it."""
    if pure_only(text):
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
    if pure_only(text):
        return None
    import yaml as pyyaml

    loader = getattr(pyyaml, "CSafeLoader", None)
    if loader is None:
        return None
    try:
        return _build(pyyaml.parse(text, Loader=loader), yaml, file, limits, pos)
    except (_UnusualError, pyyaml.YAMLError, MarkedYAMLError):
        return None


def _build(  # noqa: PLR0915 (one tight loop over 100,000 events, no calls in it)
    parsed: Any, yaml: YAML, file: str, limits: tuple[int, int, int], pos: Any
) -> tuple[Any, dict[Any, Any], dict[Any, Any]] | None:
    from yaml import events

    max_values, max_depth, max_scalar = limits
    resolve = _scalar_resolver(yaml)
    str_tag = yaml.resolver.DEFAULT_SCALAR_TAG
    construct = yaml.constructor.construct_object
    scalar, mapping_start, sequence_start = (
        events.ScalarEvent,
        events.MappingStartEvent,
        events.SequenceStartEvent,
    )
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    keys: dict[Any, Any] = {}
    values: dict[Any, Any] = {}
    documents: list[Any] = []
    # One frame per open container: [container, its path, a mapping?, the pending key].
    stack: list[list[Any]] = []
    count = 0
    for event in parsed:
        kind = type(event)
        if kind is scalar:
            value = event.value
            if event.anchor is not None or len(value) > max_scalar:
                raise _UnusualError
            frame = stack[-1] if stack else None
            if frame is not None and frame[2] and frame[3] is None:  # a key
                if value in frame[0] or (value == "<<" and event.implicit[0]):
                    raise _UnusualError  # a duplicate (the walker reports it) or a merge key
                frame[3] = value
                mark = event.start_mark
                keys[(*frame[1], value)] = pos(file, mark.line + 1, mark.column + 1)
                continue
            tag = resolve(value, event.implicit[0])
            if tag is not str_tag:
                value = construct(
                    ScalarNode(tag, value, event.start_mark, event.end_mark), deep=True
                )
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or len(stack) >= max_depth:
                raise _UnusualError
            frame = stack[-1] if stack else None
            if frame is not None and frame[2] and frame[3] is None:
                raise _UnusualError  # a list or mapping as a key
            value = {} if kind is mapping_start else []
        elif kind in ends:
            stack.pop()
            continue
        elif kind is events.AliasEvent:
            raise _UnusualError
        else:
            continue  # stream and document events
        if frame is None:
            path: tuple[Any, ...] = ()
            documents.append(value)
        elif frame[2]:
            path = (*frame[1], frame[3])
            frame[0][frame[3]] = value
            frame[3] = None
        else:
            path = (*frame[1], len(frame[0]))
            frame[0].append(value)
        count += 1
        if count > max_values or len(path) > max_depth:
            raise _UnusualError
        mark = event.start_mark
        values[path] = pos(file, mark.line + 1, mark.column + 1)
        if kind is not scalar:
            stack.append([value, path, kind is mapping_start, None])
    if len(documents) != 1:
        return None
    return documents[0], keys, values


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
