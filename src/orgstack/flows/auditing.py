"""Audit: the rules on the live organization, seen through the spec when there is one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack.model import OrgModel
from orgstack.rules.engine import RuleReport, run_rules
from orgstack.rules.registry import pick
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions


def audit(
    spec_path: str | Path | None,
    options: AwsOptions,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    *,
    context: AwsContext | None = None,
) -> tuple[RuleReport, AwsContext]:
    """Run the rules on the live organization (seen through the spec, when there is one); the
    kinds' resources the spec uses are read too, so rules judge what AWS has."""
    model, context = audit_model(spec_path, options, context=context)
    return run_rules(model, pick(select, ignore)), context


def audit_model(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    context: AwsContext | None = None,
    kinds: frozenset[str] | None = None,
) -> tuple[OrgModel, AwsContext]:
    """The live organization as the rules (and the live diagram) see it: enriched with the
    spec's purposes and stages, with the live resources of the kinds the spec uses (``kinds``:
    of these kinds only, for a command that needs no more)."""
    from orgstack.aws.errors import AwsError
    from orgstack.errors import SpecNotFoundError
    from orgstack.flows.backups import inspected_resources
    from orgstack.flows.planning import kind_ids, read_kinds_for, read_live
    from orgstack.model.guess import guess_stage
    from orgstack.plan.enrich import enrich
    from orgstack.plan.match import matched_ids

    try:
        desired: OrgModel | None = load_spec(spec_path)
    except SpecNotFoundError:
        if spec_path is not None:
            raise
        desired = None
    live, context = read_live(None, options, context)
    if live is None:
        raise AwsError(
            "this account is in no organization; there is nothing to audit",
            "`orgstack validate` checks a spec offline.",
        )
    if desired is None:
        # No spec: judge the live organization as import would write it, its baselines too
        # (the trail, the locked vault, the people's access), not only its tree.
        from orgstack.flows.files import spec_of_live

        imported = spec_of_live(live, context)
        model = _as_guessed(enrich(live, imported, guess_stage), guess_stage)
        desired = imported
    else:
        model = enrich(live, desired, guess_stage)
    if desired.sections:
        ids = kind_ids(
            desired, matched_ids(desired, live), context.caller_account(), live.organization.id
        )
        resources: dict[str, Any] = {}
        for kind_live in read_kinds_for(desired, live, ids, context, kinds=kinds).values():
            resources |= kind_live.resources
        if kinds is None:  # what the backup policy's accounts have for their jobs (LZ219, LZ220)
            resources |= inspected_resources(desired, live, ids, context)
        model = replace(model, live_resources=resources)
    return model, context


def _as_guessed(model: OrgModel, guess_stage: Any) -> OrgModel:
    """The live model judged without a spec: no finding points into the temporary one, and a
    workload account's stage is guessed from its name, as without a spec (import writes a
    guessed stage as a comment only)."""

    def account(found: Any) -> Any:
        stage = found.stage
        if stage is None and found.purpose == "workload":
            stage = guess_stage(found.name)
        return replace(found, source=None, stage=stage)

    return replace(
        model,
        organization=replace(model.organization, source=None),
        accounts=tuple(account(a) for a in model.accounts),
    )
