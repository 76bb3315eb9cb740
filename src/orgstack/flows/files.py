"""Files orgstack writes: a spec from a blueprint (``init``) or from AWS (``import``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orgstack.errors import UsageError, writing
from orgstack.model import OrgModel
from orgstack.spec.blueprints import Answers, generate
from orgstack.spec.loader import load_spec
from orgstack.spec.schema import json_schema

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions

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
    """Write the spec for ``answers`` to ``output`` (its policies are library guardrails).

    Without ``schema_ref``, the JSON Schema is written to ``.orgstack/`` beside the spec so
    editors validate it offline. Existing files are only replaced with ``force``.
    """
    base = output.parent
    generated = generate(answers, schema_ref or LOCAL_SCHEMA)
    files: dict[Path, str] = {output: generated.yaml}
    if schema_ref is None:
        files[base / LOCAL_SCHEMA] = json_schema()
    _write_files(files, force)
    return InitResult(tuple(files), generated.summary, load_spec(output))


def _write_files(files: dict[Path, str], force: bool) -> None:
    """Write every file; one that exists with other content is only replaced with ``force``."""
    clashes = [p for p in files if p.is_file() and p.read_text(encoding="utf-8") != files[p]]
    if clashes and not force:
        raise UsageError(
            f"{', '.join(str(p) for p in clashes)} already exist(s) with other content",
            "Choose another -o path, or pass --force to overwrite.",
        )
    for path, text in files.items():
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class ImportResult:
    """What ``import`` wrote."""

    written: tuple[Path, ...]
    model: OrgModel
    context: AwsContext


def import_organization(
    output: Path, options: AwsOptions, *, name: str | None = None, force: bool = False
) -> ImportResult:
    """Write a spec (and policy files) reproducing the live organization."""
    from orgstack.aws.errors import AwsError
    from orgstack.flows.planning import read_live
    from orgstack.live.guess import guess_stage
    from orgstack.spec.export import export_spec

    live, context = read_live(None, options)
    if live is None:
        raise AwsError(
            "this account is in no organization; there is nothing to import",
            "Start from a blueprint instead: `orgstack init`.",
        )
    region = context.session.region_name or "us-east-1"
    text, policy_files = export_spec(
        live,
        name=name or live.organization.id or "organization",
        home_region=region,
        schema_ref=LOCAL_SCHEMA,
        guess_stage=guess_stage,
    )
    files = {output: text, output.parent / LOCAL_SCHEMA: json_schema()}
    files |= {output.parent / path: content for path, content in policy_files.items()}
    _write_files(files, force)
    return ImportResult(tuple(files), load_spec(output), context)
