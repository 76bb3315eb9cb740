"""docs/sandbox.md lists every shim the sandbox installs, and the tests it names exist."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from orgstack.sandbox import shims

ROOT = Path(__file__).resolve().parents[2]
NOTES = (ROOT / "docs" / "sandbox.md").read_text()


def installed() -> list[str]:
    tree = ast.parse(inspect.getsource(shims.install_all))
    return [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]


def test_every_installed_shim_has_a_row_in_the_sandbox_notes() -> None:
    names = installed()
    assert len(names) >= 25
    missing = [n for n in names if f"| `{n}`" not in NOTES]
    assert missing == []


def test_the_tests_the_notes_name_exist() -> None:
    """A file is ``tests/…/test_x.py`` or ``test_x.py`` (under tests/integration/), a test in it
    ``::test_y`` after the file; a lone ``::test_y`` is in the file named last."""
    named = re.findall(r"`((?:tests/[\w/]+/)?test_\w+\.py)?(?:::(test_\w+))?`", NOTES)
    named = [(path, function) for path, function in named if path or function]
    assert len(named) > 20
    last = ""
    for path, function in named:
        if path:
            last = path if "/" in path else f"tests/integration/{path}"
        text = (ROOT / last).read_text()
        assert not function or f"def {function}(" in text, f"{last}::{function}"
