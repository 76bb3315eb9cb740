"""A fast way to the same YAML nodes: libyaml's C parser for the events, composed here.

ruamel's pure parser reads YAML 1.2 but takes ~6 s for a 10,000-account spec; libyaml
(through PyYAML) scans and parses the same file in 0.2 s. Only the scanning and parsing come
from libyaml: the nodes are composed here, iteratively (libyaml's own composer recurses in C,
which a hostile nesting depth could overflow), and every scalar's tag is resolved by ruamel's
YAML 1.2 resolver, so ``yes`` stays text and ``010`` a number, as with the pure parser.

Whenever the two could differ, the caller reads the text with the pure parser instead: any
libyaml error (the pure parser's message is the one users see), explicit tags or directives
(``!``, ``%``), and the characters YAML 1.1 takes as line breaks and 1.2 does not.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
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
