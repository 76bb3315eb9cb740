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


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = yamlread.read_yaml(text, "f.yaml")
    with monkeypatch.context() as patched:
        patched.setattr(yamlfast, "compose", lambda *_: None)
        pure = yamlread.read_yaml(text, "f.yaml")
    return (
        (fast[0].data, fast[0].keys, fast[0].values, fast[1]),
        (pure[0].data, pure[0].keys, pure[0].values, pure[1]),
    )


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
    fast = yamlread.read_yaml(text, "f.yaml")
    original = yamlfast.compose
    try:
        yamlfast.compose = lambda *_: None
        pure = yamlread.read_yaml(text, "f.yaml")
    finally:
        yamlfast.compose = original
    assert (fast[0].data, fast[0].keys, fast[0].values, fast[1]) == (
        pure[0].data, pure[0].keys, pure[0].values, pure[1],
    )  # fmt: skip


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
