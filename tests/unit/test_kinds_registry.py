"""The kind registry keeps its promises: names are folders, every action a plan can hold has
an executor, every executor and reader documents its IAM actions, every kind has tests and
appears in an example."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from orgstack.apply.permissions import actions_in, executors, iam_policy
from orgstack.model.kind import Kind, Removal
from orgstack.registry import all_kinds, core_kind, kind_for, owner_of, pipeline
from orgstack.spec.loader import load_spec

REPO = Path(__file__).resolve().parents[2]
KINDS = all_kinds()
#: With the core kind (the organization's own objects), which has a diff of its own.
EVERY = pipeline()


def test_kind_names_are_their_folders_and_prefixes_are_unique() -> None:
    folders = sorted(
        p.name
        for p in (REPO / "src" / "orgstack" / "kinds").iterdir()
        if (p / "__init__.py").exists()
    )
    assert sorted(k.name for k in EVERY) == folders
    assert [k.name for k in EVERY if k.info.core] == [core_kind().name]
    # Ordered by phase, then name; a kind's ``after`` kinds come before it.
    assert [k.name for k in KINDS] == [
        k.name for k in sorted(KINDS, key=lambda k: (k.info.phase, k.name))
    ]
    position = {k.info.prefix: i for i, k in enumerate(KINDS)}
    for index, kind in enumerate(KINDS):
        assert all(position[p] < index for p in kind.info.after), kind.name
    prefixes = [p for k in EVERY for p in (k.info.prefix, *k.info.owns)]
    assert len(set(prefixes)) == len(prefixes)
    assert getattr(kind_for("access:web/role/orgstack-Admin"), "name", None) == "access"
    assert kind_for("ou:Workloads") is None
    assert owner_of("ou:Workloads") is core_kind()
    assert owner_of("scp:deny-root") is core_kind()
    assert owner_of("access:web/role/orgstack-Admin") is kind_for("access:web/role/orgstack-Admin")
    assert owner_of("nothing:here") is None


def planned_actions(kind: Kind) -> set[tuple[str, str]]:
    """Every (type, action) the generic diff can plan for the kind."""
    found = set()
    for type_ in kind.info.types:
        found.add((type_, "create"))
        if type_ not in kind.info.fixed:
            found.add((type_, "update"))
        removal = kind.info.removal.get(type_, Removal.REPORT)
        if removal == Removal.REVOKE:  # an update in every plan, a delete when allowed
            found.add((type_, Removal.DELETE))
        elif removal != Removal.REPORT:
            found.add((type_, removal))
    return found


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_action_a_plan_can_hold_has_an_executor(kind: Kind) -> None:
    missing = sorted(a for a in planned_actions(kind) if kind.executor(*a) is None)
    assert missing == []


def test_every_executor_documents_its_iam_actions() -> None:
    undocumented = [
        name for name, executor in executors() if not actions_in(inspect.getdoc(executor) or "")
    ]
    assert undocumented == []
    assert len(list(executors())) > len(core_kind().executors())


@pytest.mark.parametrize("kind", EVERY, ids=lambda k: k.name)
def test_every_reader_documents_its_iam_actions_and_the_policy_has_them(kind: Kind) -> None:
    documented = actions_in((kind.role_module("read") or kind).__doc__ or "")
    assert documented
    read = set(iam_policy()["Statement"][0]["Action"])
    assert documented <= read


@pytest.mark.parametrize("kind", EVERY, ids=lambda k: k.name)
def test_every_kind_has_tests(kind: Kind) -> None:
    assert list((REPO / "tests").rglob(f"test_{kind.name}.py")), f"no tests/**/test_{kind.name}.py"


@pytest.mark.parametrize("kind", EVERY, ids=lambda k: k.name)
def test_every_kind_appears_in_an_example(kind: Kind) -> None:
    examples = sorted((REPO / "examples").glob("*/orgstack.yaml"))
    using = [p.parent.name for p in examples if kind.desired(load_spec(p), {})]
    assert using, f"no example under examples/ declares a resource of {kind.name}"
