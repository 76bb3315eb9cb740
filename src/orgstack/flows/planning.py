"""Plan: read the organization and every kind's resources, diff them against the spec."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from orgstack.model import OrgModel
from orgstack.rules.base import Severity
from orgstack.rules.engine import check_suppressions, run_rules
from orgstack.rules.registry import pick
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.model.kind import Live
    from orgstack.plan.drift import DriftItem
    from orgstack.plan.model import Plan


@dataclass(frozen=True)
class PlanResult:
    """A plan, the models it was made from, and the AWS context (for its call statistics)."""

    plan: Plan
    desired: OrgModel
    actual: OrgModel | None
    context: AwsContext


def read_live(
    desired: OrgModel | None, options: AwsOptions, context: AwsContext | None = None
) -> tuple[OrgModel | None, AwsContext]:
    """The live organization; tags only of the objects ``desired`` manages (all without it)."""
    from orgstack.aws.context import AwsContext
    from orgstack.live.organization import read_organization
    from orgstack.plan.match import managed_ids

    context = context or AwsContext(options)

    def tags_for(live: OrgModel) -> set[str]:
        if desired is None:
            root = {live.organization.root_id or ""}
            return root | {o.id for o in live.ous if o.id} | {a.id for a in live.accounts if a.id}
        return managed_ids(desired, live)

    return read_organization(context, tags_for), context


def active_accounts(
    desired: OrgModel, actual: OrgModel | None, ids: dict[str, str]
) -> dict[str, str]:
    """Name → id of the spec's accounts that exist and are active (resources can be read
    there)."""
    status = {a.id: a.status for a in actual.accounts} if actual else {}
    return {
        a.name: ids[a.address]
        for a in desired.accounts
        if a.address in ids and status.get(ids[a.address], "ACTIVE") == "ACTIVE"
    }


def kind_ids(
    desired: OrgModel, plan_ids: dict[str, str], home: str, organization: str | None = None
) -> dict[str, str]:
    """The plan's ids plus what the kinds need: the management account (the caller, before
    there is an organization), the organization's id (policies bound to it) and its access
    role."""
    ids = dict(plan_ids)
    if organization:
        ids["organization"] = organization
    management = desired.management
    if management is not None and management.address not in ids:
        ids[management.address] = home  # no organization yet: the caller becomes management
    ids["access-role"] = desired.organization.access_role
    return ids


def read_kinds_for(
    desired: OrgModel, actual: OrgModel | None, ids: dict[str, str], context: AwsContext
) -> dict[str, Live]:
    """Every kind's live resources that the spec needs read (nothing for a kind it does not
    use), by kind name."""
    from orgstack.aws.members import AccountClients
    from orgstack.live.kinds import plan_request, read_kinds
    from orgstack.registry import all_kinds

    accounts = active_accounts(desired, actual, ids)
    requests = {
        kind: request
        for kind in all_kinds()
        if (request := plan_request(kind, desired, accounts, actual, ids)) is not None
    }
    if not requests:
        return {}
    role = desired.organization.access_role
    return read_kinds(context, AccountClients(context, context.caller_account(), role), requests)


def make_plan(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    allow_close: bool = False,
    allow_delete: bool = False,
    context: AwsContext | None = None,
) -> PlanResult:
    """Diff the spec against the live organization and every kind's resources; AWS hard-limit
    errors block the plan."""
    from orgstack.plan.diff import diff
    from orgstack.plan.fingerprint import spec_digest
    from orgstack.plan.kinds import plan_kinds
    from orgstack.plan.model import Preflight
    from orgstack.registry import all_kinds

    desired = load_spec(spec_path)
    check_suppressions(desired)
    actual, context = read_live(desired, options, context)
    plan = diff(desired, actual, allow_close=allow_close)
    # The caller is known already (the organization read asked STS once).
    ids = kind_ids(desired, plan.ids, context.caller_account(), plan.organization_id)
    lives = read_kinds_for(desired, actual, ids, context)
    if lives:
        for live in lives.values():
            ids |= live.ids
        changes, unmanaged, preflight = plan_kinds(
            desired, all_kinds(), lives, ids, allow_delete=allow_delete
        )
        plan = replace(
            plan,
            changes=plan.changes + tuple(changes),
            unmanaged=plan.unmanaged + tuple(unmanaged),
            preflight=plan.preflight + tuple(preflight),
            ids=ids,
        )
    plan = _core_trusted_access(plan, actual)
    limits = tuple(r for r in pick(("limits", "LZ201", "LZ202")) if r.severity == Severity.ERROR)
    blockers = tuple(
        Preflight(
            "error",
            f"{f.source or f.address}: {f.rule_id} {f.rule_name}: {f.message}",
            "AWS would refuse this part of the apply; `orgstack validate` explains each finding.",
        )
        for f in run_rules(desired, limits).findings
    )
    plan = replace(plan, preflight=plan.preflight + blockers, spec_digest=spec_digest(desired))
    return PlanResult(plan, desired, actual, context)


def _core_trusted_access(plan: Plan, actual: OrgModel | None) -> Plan:
    """The trusted access the organization layer's own changes need (an account rename needs
    Account Management's), planned like a kind's when the organization lacks it."""
    from orgstack.kinds.trusted_access.desired import PREFIX, for_core_changes
    from orgstack.plan.model import Action
    from orgstack.plan.resources import change

    enabled = set(actual.organization.service_access) if actual else set()
    planned = {c.address for c in plan.changes}
    added = [
        change(PREFIX + principal, Action.CREATE, None, {"enabled": True}, why, None)
        for principal, why in sorted(for_core_changes(plan.changes).items())
        if principal not in enabled and PREFIX + principal not in planned
    ]
    return replace(plan, changes=plan.changes + tuple(added)) if added else plan


@dataclass(frozen=True)
class DriftResult:
    """The differences, and with ``adopt`` the files rewritten and what was left as it is."""

    items: list[DriftItem]
    written: list[str]
    skipped: list[str]
    context: AwsContext


def drift(spec_path: str | Path | None, options: AwsOptions, *, adopt: bool = False) -> DriftResult:
    """Every difference between spec and AWS; ``adopt`` rewrites the spec to the live values."""
    from orgstack.plan.drift import drift as find_drift
    from orgstack.spec.adopt import adopt as adopt_live

    result = make_plan(spec_path, options)
    items = find_drift(result.plan, result.desired)
    written: list[str] = []
    skipped: list[str] = []
    if adopt and result.plan.changes:
        written, skipped = adopt_live(result.plan, result.desired)
    return DriftResult(items, written, skipped, result.context)
