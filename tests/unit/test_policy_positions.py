"""Where each part of a policy document stands, so a finding names the line to fix: every key
and item of any JSON text (checked against ``json.loads`` on generated documents), and the
Region list kept in step with the pinned botocore."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from orgstack.model.regions import REGIONS
from orgstack.spec.jsonpos import json_positions

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


def paths(value: Any, at: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    found: set[tuple[Any, ...]] = set()
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found |= {(*at, key)} | paths(item, (*at, key))
    return found


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, 2]))
def test_every_key_and_item_has_a_position(document: Any, indent: int | None) -> None:
    text = json.dumps(document, indent=indent)
    found = json_positions(text)
    assert set(found) == paths(document)
    lines = text.splitlines()
    for path, (line, column) in found.items():
        char = lines[line - 1][column - 1]
        if isinstance(path[-1], str):
            assert char == '"', (path, line, column)  # a key starts with its quote


def test_positions_of_a_hand_written_file() -> None:
    text = '{\n  "a": [\n    1,\n    {"b": "x"}\n  ],\n  "c": true\n}\n'
    assert json_positions(text) == {
        ("a",): (2, 3),
        ("a", 0): (3, 5),
        ("a", 1): (4, 5),
        ("a", 1, "b"): (4, 6),
        ("c",): (6, 3),
    }


def test_the_region_list_has_every_region_botocore_knows() -> None:
    from botocore.loaders import create_loader

    partitions = create_loader().load_data("partitions")["partitions"]
    known = {r for p in partitions for r in p["regions"] if not r.endswith("-global")}
    assert sorted(known - REGIONS) == []
