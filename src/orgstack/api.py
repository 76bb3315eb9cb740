"""The library surface: what the CLI (or a program) calls."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orgstack.errors import UsageError
from orgstack.model import OrgModel
from orgstack.rules.engine import RuleReport, check_suppressions, run_rules
from orgstack.rules.registry import pick
from orgstack.spec.blueprints import Answers, generate
from orgstack.spec.loader import load_spec
from orgstack.spec.schema import json_schema

__all__ = ["InitResult", "json_schema", "load_spec", "validate", "write_spec"]

LOCAL_SCHEMA = ".orgstack/orgstack.schema.json"


@dataclass(frozen=True)
class InitResult:
    """What ``init`` wrote and what the spec holds."""

    written: tuple[Path, ...]
    summary: str
    model: OrgModel


def write_spec(
    answers: Answers, output: Path, *, schema_ref: str | None = None, force: bool = False
) -> InitResult:
    """Write the spec for ``answers`` to ``output``, its policy files beside it.

    Without ``schema_ref``, the JSON Schema is written to ``.orgstack/`` beside the spec so
    editors validate it offline. Existing files are only replaced with ``force``.
    """
    base = output.parent
    generated = generate(answers, schema_ref or LOCAL_SCHEMA)
    files: dict[Path, str] = {output: generated.yaml}
    files.update({base / name: text for name, text in generated.policy_files.items()})
    if schema_ref is None:
        files[base / LOCAL_SCHEMA] = json_schema()
    clashes = [p for p in files if p.exists() and p.read_text(encoding="utf-8") != files[p]]
    if clashes and not force:
        raise UsageError(
            f"{', '.join(str(p) for p in clashes)} already exist(s) with other content",
            "Choose another -o path, or pass --force to overwrite.",
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model = load_spec(output)
    return InitResult(tuple(files), generated.summary, model)


def validate(
    spec_path: str | Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> RuleReport:
    """Load the spec and run the chosen rules on it, offline."""
    model = load_spec(spec_path)
    check_suppressions(model)
    return run_rules(model, pick(select, ignore))
