"""Files orgstack writes: a spec from a blueprint (``init``) or from AWS (``import``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    #: The kinds' sections written, and what exists in AWS but was not imported (with why).
    sections: tuple[str, ...] = ()
    not_imported: tuple[str, ...] = ()


def import_organization(
    output: Path, options: AwsOptions, *, name: str | None = None, force: bool = False
) -> ImportResult:
    """Write a spec (and policy files) reproducing the live organization: the organization
    layer, and each kind's section found in AWS. The written spec is planned once: a section
    whose plan would change AWS (an archive or vault orgstack did not make, set otherwise) is
    left out and listed as not imported, with the changes it would make."""
    from orgstack.aws.errors import AwsError
    from orgstack.flows.planning import read_live

    live, context = read_live(None, options)
    if live is None:
        raise AwsError(
            "this account is in no organization; there is nothing to import",
            "Start from a blueprint instead: `orgstack init`.",
        )
    region = context.session.region_name or "us-east-1"
    found = discover_sections(live, region, context)

    def write(overwrite: bool) -> dict[Path, str]:
        text, policy_files = _export(live, name, region, found)
        files = {output: text, output.parent / LOCAL_SCHEMA: json_schema()}
        files |= {output.parent / path: content for path, content in policy_files.items()}
        _write_files(files, overwrite)
        return files

    files = write(force)
    # Leaving a section out may change what another implies (the role logging: names): check
    # again until the plan of every section left is empty.
    while found.sections:
        changing = {
            section: why
            for section, why in _changing_sections(output, options, context).items()
            if section in found.sections
        }
        if not changing:
            break
        for section, why in changing.items():
            found.sections.pop(section)
            found.notes.append(
                f"{section}: importing it as orgstack would make it changes AWS ({why}); "
                "write it by hand, or add it on purpose and apply"
            )
        files = write(True)
    return ImportResult(
        tuple(files), load_spec(output), context, tuple(found.sections), tuple(found.notes)
    )


def _changing_sections(output: Path, options: AwsOptions, context: AwsContext) -> dict[str, str]:
    """The sections whose kinds the imported spec's plan would change, with a few of those
    changes (the organization layer's own changes are the core export's to avoid)."""
    from orgstack.flows.planning import make_plan
    from orgstack.registry import all_kinds, kind_for, sections_of

    result = make_plan(output, options, context=context)
    found: dict[str, list[str]] = {}
    for change in result.plan.changes:
        kind = kind_for(change.address)
        if kind is None:
            continue
        # A change of a kind without a section (trusted access) is the sections' that need it.
        needing = [kind] if sections_of(kind) else [
            k for k in all_kinds()
            if change.address.rsplit("/", 1)[-1] in k.trusted_access(result.desired)
        ]  # fmt: skip
        for section in {sections_of(k)[0] for k in needing if sections_of(k)}:
            found.setdefault(section, []).append(f"{change.action.value} {change.address}")
    return {section: _some(changes) for section, changes in found.items()}


def _some(changes: list[str]) -> str:
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    return ", ".join(changes[:3]) + more


@dataclass
class _Section:
    data: Any
    description: str
    replaces: list[str]


@dataclass
class _Found:
    sections: dict[str, _Section]
    notes: list[str]


def discover_sections(live: OrgModel, region: str, context: AwsContext) -> _Found:
    """Each kind's section as the live organization has it (``discover.py``), with the
    section's description and the organization's objects it makes again (written as the
    section, not as themselves), and what could not be imported; read-only, through the
    organization's access role. A kind whose reads fail is listed as not imported, with the
    error: the rest of the import goes on."""
    from orgstack.aws.errors import AwsError
    from orgstack.aws.members import AccountClients
    from orgstack.aws.reading import ReadContext
    from orgstack.model.kind import DiscoverRequest
    from orgstack.registry import all_kinds

    ctx = ReadContext(
        context,
        AccountClients(context, context.caller_account(), live.organization.access_role),
    )
    found = _Found({}, [])
    for kind in all_kinds():
        request = DiscoverRequest(live, region, {k: v.data for k, v in found.sections.items()})
        try:
            discovered = kind.discover(ctx, request)
        except AwsError as exc:
            found.notes.append(f"{kind.section or kind.name}: not imported ({exc.message})")
            continue
        if discovered is None:
            continue
        found.notes += discovered.notes
        if discovered.section is not None and kind.section:
            found.sections[kind.section] = _Section(
                discovered.section, kind.schema_description(), list(discovered.replaces)
            )
    return found


def spec_of_live(live: OrgModel, context: AwsContext) -> OrgModel:
    """The spec ``import`` would write for the live organization (every kind's section found
    in AWS, not checked by a plan), compiled from a temporary folder: what ``audit`` without a
    spec judges, so the live baselines are read too."""
    import tempfile

    region = context.session.region_name or "us-east-1"
    text, policy_files = _export(live, None, region, discover_sections(live, region, context))
    with tempfile.TemporaryDirectory(prefix="orgstack-live-") as folder:
        spec = Path(folder) / "orgstack.yaml"
        files = {spec: text} | {Path(folder) / p: c for p, c in policy_files.items()}
        _write_files(files, force=True)
        return load_spec(spec)


def _export(
    live: OrgModel, name: str | None, region: str, found: _Found
) -> tuple[str, dict[str, str]]:
    """The spec's text and policy files: the organization layer and the sections found."""
    from orgstack.model.guess import guess_stage
    from orgstack.spec.export import export_spec

    return export_spec(
        live,
        name=name or live.organization.id or "organization",
        home_region=region,
        schema_ref=LOCAL_SCHEMA,
        guess_stage=guess_stage,
        sections={k: (v.data, v.description) for k, v in found.sections.items()},
        notes=found.notes,
        replaced={a for v in found.sections.values() for a in v.replaces},
    )
