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
#: Roles whose helper files (``apply_iam.py``, ``read_tree.py``, ``compile_links.py``) count as
#: the role.
SPLIT_ROLES = ("apply", "read", "compile")
#: Roles of a kind's files (``kinds/<name>/<role>.py``, ``apply_*.py`` count as ``apply``)
#: that are pure: they never import an AWS library.
PURE_ROLES = (
    "__init__", "schema", "compile", "desired", "diff", "render", "view", "vocabulary", "matrix",
)  # fmt: skip
EVERYTHING = "*"

#: docs/architecture.md's "may import" table: who may import which orgstack packages. A kind's
#: files are placed by role (``kinds/*/desired`` …); ``kinds/*`` means the same kind's files of
#: those roles. Keep the two in step.
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "model": {"model"},
    "spec": {"errors", "model", "spec", "registry", "plan.model"},
    "registry": {"model"},
    "plan": {"errors", "model", "plan", "registry"},
    "__init__": set(),
    "rules": {"errors", "model", "rules", "registry", "kinds.*.vocabulary"},
    "report": {"errors", "model", "plan", "rules", "report", "registry", "kinds.*.vocabulary"},
    "aws": {"errors", "aws", "sandbox.state"},
    "live": {"errors", "model", "plan", "aws", "live"},
    "apply": {"errors", "model", "plan", "aws", "live", "apply", "registry"},
    "sandbox": {"errors", "sandbox"},
    "kinds": set(),
    "kinds/*/__init__": {"model"},
    "kinds/*/vocabulary": {"errors", "model", "plan", "kinds/*/vocabulary"},
    "kinds/*/schema": {"errors", "model", "spec", "kinds/*/compile", "kinds/*/vocabulary"},
    "kinds/*/compile": {
        "errors", "model", "spec", "kinds/*/schema", "kinds/*/vocabulary", "kinds/*/compile",
    },
    "kinds/*/desired": {"errors", "model", "plan", "registry", "kinds/*/vocabulary"},
    "kinds/*/render": {"errors", "model", "plan", "kinds/*/vocabulary"},
    "kinds/*/view": {"errors", "model", "plan", "kinds/*/vocabulary", "kinds/*/matrix"},
    "kinds/*/matrix": {"errors", "model", "plan", "spec", "kinds/*/desired", "kinds/*/vocabulary"},
    "kinds/*/read": {
        "errors", "model", "plan", "aws", "kinds/*/desired", "kinds/*/vocabulary",
        "kinds/*/probes", "kinds/*/read",
    },
    # The core kind's own diff (the others use the generic one).
    "kinds/*/diff": {"errors", "model", "plan", "kinds/*/desired", "kinds/*/vocabulary"},
    "kinds/*/discover": {
        "errors", "model", "plan", "aws", "kinds/*/vocabulary", "kinds/*/schema",
        "kinds/*/probes", "kinds/*/read",
    },
    "kinds/*/probes": {"errors", "model", "plan", "aws", "kinds/*/vocabulary"},
    "kinds/*/apply": {
        "errors", "model", "plan", "aws", "apply", "kinds/*/desired", "kinds/*/vocabulary",
        "kinds/*/probes",
        "kinds/*/read", "kinds/*/apply",
    },
    # flows may reach a kind only through the registry and its public faces (vocabulary,
    # probes, matrix); never its hooks' files.
    "flows": {
        "errors", "model", "spec", "plan", "rules", "report", "aws", "live", "apply",
        "registry", "flows", "sandbox.state", "kinds.*.vocabulary", "kinds.*.probes",
        "kinds.*.matrix",
    },
    "api": {EVERYTHING},
    "cli": {EVERYTHING},
}  # fmt: skip


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
            if node.module.startswith("orgstack.kinds.") and node.module.count(".") == 2:
                # ``from orgstack.kinds.access import probes``: the file imported is probes
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
            else:
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


def _role(stem: str) -> str:
    """A kind's file's role: ``read_tree`` → ``read``, ``desired`` → ``desired``."""
    head = stem.split("_", 1)[0]
    return head if head in SPLIT_ROLES and "_" in stem else stem


def place_of(path: Path) -> str:
    """Where a module sits in the table: its package, or a kind's file by its role."""
    rel = path.relative_to(SRC)
    if rel.parts[0] == "kinds" and len(rel.parts) > 2:
        return f"kinds/*/{_role(rel.stem)}"
    return package_of(path)


def place_of_import(name: str, importer: Path) -> str:
    """``orgstack.kinds.access.read`` → ``kinds/*/read`` (the importer's own kind) or
    ``kinds.*.read`` (another kind's); ``orgstack.plan.model`` → ``plan.model``."""
    parts = name.split(".")[1:]
    if parts[0] == "kinds" and len(parts) > 2:
        rel = importer.relative_to(SRC).parts
        same = len(rel) > 2 and rel[1] == parts[1]
        role = _role(parts[2])
        return f"kinds/*/{role}" if same else f"kinds.*.{role}"
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def allowed(place: str, target: str) -> bool:
    rules = MAY_IMPORT[place]
    return EVERYTHING in rules or any(
        target == rule or target.startswith(rule + ".") for rule in rules
    )


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_what_the_architecture_table_allows(path: Path) -> None:
    place = place_of(path)
    assert place in MAY_IMPORT, f"{place} has no row in the may-import table"
    rel = path.relative_to(SRC)
    broken = []
    for line, name in imports(path):
        if not name.startswith("orgstack."):
            pure = place.startswith("kinds/*/") and place.split("/")[-1] in PURE_ROLES
            if pure and _top(name) in AWS_LIBS:
                broken.append(f"{rel}:{line} imports {name}: a kind's {place} is pure")
            continue
        target = place_of_import(name, path)
        if place == "spec" and target.startswith("plan"):
            if not (rel.name == "adopt.py" and target == "plan.model"):
                broken.append(f"{rel}:{line} imports {name}: only spec/adopt.py reads plans")
            continue
        if not allowed(place, target):
            broken.append(f"{rel}:{line} imports {name}: {place} may not import {target}")
    assert broken == []


def test_the_table_check_sees_a_violation(tmp_path: Path) -> None:
    assert not allowed("model", "aws")
    assert not allowed("kinds/*/desired", "aws")
    assert not allowed("plan", "kinds.access")
    assert not allowed("rules", "kinds.*.desired") and not allowed("report", "kinds.*.read")
    assert not allowed("flows", "kinds.*.desired") and not allowed("flows", "kinds.*.apply")
    assert allowed("rules", "kinds.*.vocabulary") and allowed("cli", "flows")
    fake = SRC / "kinds" / "example" / "read.py"
    assert place_of(fake) == "kinds/*/read"
    assert place_of_import("orgstack.kinds.example.apply_iam", fake) == "kinds/*/apply"
    assert place_of_import("orgstack.kinds.other.read", fake) == "kinds.*.read"


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The import walker finds imports inside functions too (so the rules cannot pass vacuously)."""
    module = tmp_path / "m.py"
    module.write_text('"""x."""\ndef f():\n    import boto3\n    from moto import mock_aws\n')
    assert list(imports(module)) == [(3, "boto3"), (4, "moto")]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_stays_within_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path.relative_to(SRC)} has {lines} lines: split it by concern"


def test_api_is_a_thin_facade_naming_every_public_name() -> None:
    from orgstack import api

    source = (SRC / "api.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 200
    public = {n for n in vars(api) if not n.startswith("_") and n not in ("annotations", "Path")}
    # what validate() is made of
    public -= {"suppression_problems", "run_rules", "pick", "load_partial", "SpecError", "replace"}
    assert public <= set(api.__all__), sorted(public - set(api.__all__))
