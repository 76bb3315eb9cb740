"""The kind contract (``orgstack.model.contract``): the one list of hooks, and the check that
refuses a role file that breaks it — a misspelt hook, a hook with the wrong parameters, a
public function the contract does not know, a missing required hook — when the kind loads."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orgstack.kinds
from orgstack import registry
from orgstack.model import contract
from orgstack.model.kind import Kind, KindContractError

#: Every hook, by role file: (name, required, parameters or None for a value). The contract's
#: one listing in the tests; docs and CONTRIBUTING.md point to orgstack.model.contract.
EXPECTED = {
    "__init__": [("KIND", True, None)],
    "schema": [
        ("SECTION", True, None),
        ("Schema", True, None),
        ("DESCRIPTION", False, None),
        ("compile", False, ("section", "model", "located", "problems")),
        ("policies", False, ("compiled", "model", "located")),
    ],
    "compile": [
        ("compile", False, ("section", "model", "located", "problems")),
        ("policies", False, ("compiled", "model", "located")),
    ],
    "desired": [
        ("desired", True, ("model", "ids")),
        ("revoked", False, ("address", "value")),
        ("read_with", False, ("model",)),
        ("trusted_access", False, ("model",)),
        ("for_changes", False, ("changes", "organization")),
    ],
    "read": [("read", True, ("ctx", "request"))],
    "diff": [("diff", True, ("desired", "actual", "allow_close"))],
    "apply": [
        ("EXECUTORS", True, None),
        ("WAITS_FOR", False, None),
        ("DELETE_WAITS_FOR", False, None),
        ("waits_for", False, ("change", "changes")),
    ],
    "render": [("detail", True, ("change",)), ("warning", False, ("change",))],
    "view": [
        ("relations", False, ("model", "resources")),
        ("report", False, ("model", "resources")),
    ],
    "discover": [("discover", True, ("ctx", "request"))],
}


def test_the_contract_lists_every_hook_once() -> None:
    found: dict[str, list[tuple[str, bool, tuple[str, ...] | None]]] = {}
    for hook in contract.HOOKS:
        found.setdefault(hook.role, []).append((hook.name, hook.required, hook.params))
    assert found == EXPECTED
    assert tuple(found) == contract.ROLES
    assert all(hook.what for hook in contract.HOOKS)


@pytest.mark.parametrize("kind", registry.pipeline(), ids=lambda k: k.name)
def test_every_role_file_of_every_kind_keeps_the_contract(kind: Kind) -> None:
    for role in contract.ROLES:
        kind.role_module(role)  # raises KindContractError on a broken file
    assert kind.role_module("desired") is not None
    assert kind.role_module("read") is not None
    assert kind.role_module("apply") is not None


GOOD = {
    "__init__.py": """
        '''A test kind.'''
        from orgstack.model.kind import KindInfo
        KIND = KindInfo(prefix="probe-kind", summary="a test kind")
    """,
    "desired.py": """
        '''Nothing is desired.'''
        def desired(model, ids):
            return {}
    """,
    "read.py": """
        '''Nothing is read.'''
        from orgstack.model.kind import Live
        def read(ctx, request):
            return Live()
    """,
    "apply.py": """
        '''Nothing is applied.'''
        EXECUTORS = {}
    """,
}


@pytest.fixture
def make_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    folder = tmp_path / "kinds" / "probe_kind"

    def make(**files: str) -> Kind:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in {**GOOD, **files}.items():
            (folder / name).write_text(textwrap.dedent(text).lstrip())
        monkeypatch.setattr(
            orgstack.kinds, "__path__", [*orgstack.kinds.__path__, str(folder.parent)]
        )
        registry.reset()
        return next(k for k in registry.all_kinds() if k.name == "probe_kind")

    yield make
    registry.reset()
    import sys

    for name in [m for m in sys.modules if m.startswith("orgstack.kinds.probe_kind")]:
        del sys.modules[name]


def _refusal(kind: Kind, role: str) -> list[str]:
    with pytest.raises(KindContractError) as refused:
        kind.role_module(role)
    return refused.value.problems


def test_a_misspelt_hook_is_refused_with_the_name_it_meant(make_kind) -> None:  # type: ignore[no-untyped-def]
    kind = make_kind(
        **{
            "apply.py": """
                '''Waits for a type, misspelt.'''
                EXECUTORS = {}
                WAIT_FOR = {"": ("",)}
            """
        }
    )
    assert _refusal(kind, "apply") == [
        "kinds/probe_kind/apply.py: WAIT_FOR is not a hook; did you mean WAITS_FOR?"
    ]


def test_a_hook_with_the_wrong_parameters_is_refused(make_kind) -> None:  # type: ignore[no-untyped-def]
    kind = make_kind(
        **{
            "render.py": """
                '''One line.'''
                def detail(change, colour):
                    return ""
            """
        }
    )
    assert _refusal(kind, "render") == [
        "kinds/probe_kind/render.py: detail(change, colour) must take (change): one plan line "
        "for a change"
    ]


def test_an_unknown_public_function_and_a_missing_required_hook_are_refused(make_kind) -> None:  # type: ignore[no-untyped-def]
    kind = make_kind(
        **{
            "read.py": """
                '''Reads under another name.'''
                def read_everything(ctx, request):
                    return None
            """
        }
    )
    assert _refusal(kind, "read") == [
        "kinds/probe_kind/read.py has no read (Live for a ReadRequest (addresses and values to "
        "read), through a read-only context (the core kind: the live organization, an OrgModel "
        "or None, for an OrgRequest))",
        "kinds/probe_kind/read.py: public function read_everything is not a hook of the read "
        "role (hooks: read); make it private (_read_everything) or move it to the kind's "
        "vocabulary.py",
    ]
    with pytest.raises(KindContractError):
        kind.read(None, None)


def test_a_value_hook_of_the_wrong_shape_is_refused(make_kind) -> None:  # type: ignore[no-untyped-def]
    kind = make_kind(
        **{
            "apply.py": """
                '''Executors keyed by a string.'''
                EXECUTORS = {"create": print}
            """
        }
    )
    assert _refusal(kind, "apply") == [
        "kinds/probe_kind/apply.py: EXECUTORS has the wrong shape ((type, action) → "
        "executor(ctx, change) → live ids)"
    ]


def test_the_core_cannot_ask_for_a_hook_the_contract_does_not_know(make_kind) -> None:  # type: ignore[no-untyped-def]
    kind = make_kind()
    with pytest.raises(AssertionError, match="waits_fro is not a hook of the apply role"):
        kind._hook("apply", "waits_fro")
    assert kind.waits_for(None, ()) is None
    assert kind.detail(None) is None


def test_role_files_are_parsed_one_at_a_time_when_many_threads_load_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Readers load role files from their threads; the check parses source, which CPython
    3.11 cannot do in two threads at once ("AST constructor recursion depth mismatch", seen
    in ``orgstack import``)."""
    import ast
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    inside, most = [0], [0]
    guard = threading.Lock()
    real = ast.parse

    def parse(source: str, *args: Any, **kwargs: Any) -> ast.Module:
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.002)  # another thread would enter here
        try:
            found: ast.Module = real(source, *args, **kwargs)
            return found
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(ast, "parse", parse)

    def load(kind: Kind) -> int:
        fresh = Kind(kind.name, kind.package, kind.info)
        return sum(fresh.role_module(role) is not None for role in contract.ROLES)

    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = list(pool.map(load, list(registry.all_kinds()) * 2))
    assert all(count >= 3 for count in counts)
    assert most == [1]


def test_every_section_has_one_owner_and_a_kind_may_not_read_an_unowned_one(make_kind) -> None:  # type: ignore[no-untyped-def]
    owners = registry.owners()
    assert sorted(owners) == sorted(k.section for k in registry.all_kinds() if k.section)
    assert all(owners[s].section == s for s in owners)
    for kind in registry.all_kinds():
        assert all(s in owners for s in registry.sections_of(kind))
    make_kind(
        **{
            "__init__.py": """
                '''Reads a section nobody declares.'''
                from orgstack.model.kind import KindInfo
                KIND = KindInfo(prefix="probe-kind", summary="x", sections=("nope",))
            """
        }
    )
    with pytest.raises(
        TypeError, match=r"kind probe_kind reads sections no kind declares: \['nope'\]"
    ):
        registry.owners()
