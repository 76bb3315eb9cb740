"""The fast YAML path (libyaml's events, ruamel's resolver) gives exactly what the pure
parser gives: the same data, the same positions of every key and value, the same problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgstack.spec import yamlfast, yamlread
from orgstack.spec.blueprints import generate as generate_spec
from orgstack.spec.blueprints import preset
from orgstack.spec.layouts import BLUEPRINTS

REPO = Path(__file__).resolve().parents[2]


def _three(text: str) -> list[object]:
    """What reading ``text`` gives in one pass (``build``), through composed nodes and the
    walker (``compose``), and with ruamel's pure parser alone."""
    read: list[object] = []
    for skip in ((), ("build",), ("build", "compose")):
        originals = {name: getattr(yamlfast, name) for name in skip}
        try:
            for name in skip:
                setattr(yamlfast, name, lambda *_: None)
            located, problems = yamlread.read_yaml(text, "f.yaml")
        finally:
            for name, original in originals.items():
                setattr(yamlfast, name, original)
        read.append((located.data, located.keys, located.values, problems))
    return read


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    built, composed, pure = _three(text)
    assert built == composed
    return composed, pure


def _texts() -> list[str]:
    files = sorted(
        p for p in [*REPO.glob("examples/**/*.yaml"), *REPO.glob("tests/**/*.yaml")] if p.is_file()
    )
    blueprints = [generate_spec(preset(layout), "s.json").yaml for layout in BLUEPRINTS]
    return [p.read_text(encoding="utf-8") for p in files] + blueprints


TRICKY = [
    "a: yes\nb: no\nc: on\nd: 010\ne: 0o10\nf: 1_000\ng: 1:20\nh: ~\ni: .inf\nj: 0x1F\n",
    "targets: [ou:Workloads, account:web, root]\nx: {k: [a:b]}\n",
    "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",
    "a: 'quoted: yes'\nb: \"esc \\/ \\u00e9\"\nc: |\n  line\n   more\nd: >-\n  folded\n  text\n",
    "a: b\na: c\n",
    'émoji: "🙂"\nnon-ascii: Wörter\n  fortgesetzt\n',
    "- a\n- [b, {c: d}]\n- ? e\n  : f\n",
    "---\na: 1\n---\nb: 2\n",
    "",
    "# only a comment\n",
    "a: [1, 2\n",
    "a: b: c\n",
    'k: "unterminated\n',
]


@pytest.mark.parametrize("index", range(len(_texts())))
def test_every_spec_of_the_project_reads_the_same(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both(_texts()[index], monkeypatch)
    assert fast == pure


@pytest.mark.parametrize("text", TRICKY)
def test_yaml_1_2_corner_cases_read_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = _both(text, monkeypatch)
    assert fast == pure


def test_the_fast_path_reads_yaml_1_2_scalars() -> None:
    located, problems = yamlread.read_yaml("a: yes\nb: 010\nc: 0o10\nd: [ou:Prod]\n", "f")
    assert problems == []
    assert located.data == {"a": "yes", "b": 10, "c": 8, "d": ["ou:Prod"]}


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.one_of(
            st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
            st.integers(),
            st.booleans(),
            st.none(),
        ),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
        ),
        max_leaves=20,
    ),
    st.sampled_from([None, True, False]),
)
def test_any_document_ruamel_writes_reads_the_same(value: object, flow: bool | None) -> None:
    from io import StringIO

    from ruamel.yaml import YAML

    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = flow
    out = StringIO()
    writer.dump({"root": value}, out)
    text = out.getvalue()
    built, composed, pure = _three(text)
    assert built == composed == pure


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        (generate_spec(preset("standard"), "s.json").yaml, True),
        ("a: !!str 1\n", False),  # an explicit tag
        ("%YAML 1.2\n---\na: 1\n", False),  # a directive
        ("a: 'tab\there'\n", False),  # YAML 1.1 and 1.2 differ around tabs
        ("a: b\u2028c\n", False),  # a line break in 1.1 only
        ("a: [1, 2\n", False),  # libyaml's error: the pure parser's message is shown
        ("a: Hello!\n", True),  # '!' inside a value is no tag
    ],
)
def test_what_takes_the_fast_path(text: str, fast: bool) -> None:
    from ruamel.yaml import YAML

    from orgstack.spec.yamlfast import compose

    assert (compose(text, YAML(typ="safe", pure=True), 65) is not None) == fast


@pytest.mark.parametrize(
    ("text", "one_pass"),
    [
        (generate_spec(preset("enterprise"), "s.json").yaml, True),
        ("a: yes\nb: 010\nc: {d: [1, 'x']}\n", True),
        ("a: &x {b: 1}\nc: *x\n", False),  # an anchor and an alias
        ("a:\n  <<: {b: 1}\n", False),  # a merge key
        ("a: b\na: c\n", False),  # a duplicate key: the walker reports it
        ("? [a]\n: b\n", False),  # a list as a key
        ("a: !!str 1\n", False),  # an explicit tag
        ("", False),  # no document
        ("---\na: 1\n---\nb: 2\n", False),  # two documents
    ],
)
def test_what_is_read_in_one_pass(text: str, one_pass: bool) -> None:
    from ruamel.yaml import YAML

    limits = (yamlread.MAX_VALUES, yamlread.MAX_DEPTH, yamlread.MAX_SCALAR)
    built = yamlfast.build(text, YAML(typ="safe", pure=True), "f", limits, yamlread.Pos)
    assert (built is not None) == one_pass
