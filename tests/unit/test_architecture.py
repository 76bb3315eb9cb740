"""The purity rules of the architecture, checked on every module's imports and top level."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "orgstack"
AWS_LIBS = ("boto3", "botocore", "moto", "mypy_boto3")
PURE = ("model", "spec", "plan", "rules", "report")


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py") if rel.parts else ""


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every imported module name, with its line, including imports inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_keeps_the_purity_rules(path: Path) -> None:
    package = package_of(path)
    rel = path.relative_to(SRC)
    broken: list[str] = []
    for line, name in imports(path):
        where = f"{rel}:{line} imports {name}"
        if package in PURE and _top(name) in AWS_LIBS:
            broken.append(f"{where}: {package}/ is pure (no AWS libraries)")
        if (
            package == "model"
            and _top(name) not in sys.stdlib_module_names
            and not name.startswith("orgstack.model")
        ):
            broken.append(f"{where}: model/ uses the standard library only")
        if _top(name) == "moto" and package != "sandbox":
            broken.append(f"{where}: only sandbox/ may import moto")
        if (
            name.startswith("orgstack.sandbox")
            and package not in ("sandbox", "cli")
            and name != "orgstack.sandbox.state"
        ):
            broken.append(
                f"{where}: production code reaches the sandbox only through --sandbox (sandbox.state)"
            )
    assert broken == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_has_a_docstring_and_no_import_time_clients_or_mutable_globals(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(SRC)} needs a one-line docstring"
    for node in tree.body:
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                break
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in ("client", "resource", "Session"):
                pytest.fail(
                    f"{path.relative_to(SRC)}:{call.lineno}: AWS client made at import time"
                )
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            mutable = isinstance(value, ast.List | ast.Dict | ast.Set) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in ("list", "dict", "set")
            )
            for target in targets:
                if (
                    mutable
                    and isinstance(target, ast.Name)
                    and not target.id.isupper()
                    and target.id != "__all__"
                ):
                    pytest.fail(
                        f"{path.relative_to(SRC)}:{node.lineno}: global mutable state '{target.id}'"
                    )


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The import walker finds imports inside functions too (so the rules cannot pass vacuously)."""
    module = tmp_path / "m.py"
    module.write_text('"""x."""\ndef f():\n    import boto3\n    from moto import mock_aws\n')
    assert list(imports(module)) == [(3, "boto3"), (4, "moto")]
