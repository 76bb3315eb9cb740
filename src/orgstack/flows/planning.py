"""Plan: read the organization and every kind's resources, diff them against the spec."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from orgstack.errors import OrgstackError
from orgstack.model import OrgModel
from orgstack.rules.engine import check_suppressions
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.kinds.organization.vocabulary import OnTree
    from orgstack.model.kind import Live
    from orgstack.plan.drift import DriftItem
    from orgstack.plan.model import Plan
    from orgstack.plan.scope import Scope


@dataclass(frozen=True)
class PlanResult:
    """A plan, the models it was made from, and the AWS context (for its call statistics)."""

    plan: Plan
    desired: OrgModel
    actual: OrgModel | None
    context: AwsContext


def read_live(
    desired: OrgModel | None,
    options: AwsOptions,
    context: AwsContext | None = None,
    on_tree: OnTree | None = None,
    *,
    early: bool = False,
) -> tuple[OrgModel | None, AwsContext]:
    """The live organization; tags only of the objects ``desired`` manages (all without it).
    ``on_tree`` gets the organization without policies and tags as soon as its accounts are
    known (``early``: from ListAccounts, before the tree is)."""
    from orgstack.aws.context import AwsContext
    from orgstack.kinds.organization.vocabulary import OrgRequest, every_tag
    from orgstack.plan.match import tag_selector
    from orgstack.registry import core_kind

    context = context or AwsContext(options)
    tags = every_tag if desired is None else tag_selector(desired)
    request = OrgRequest(tags, on_tree, early)
    return core_kind().read_organization(context, request), context


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
    desired: OrgModel,
    actual: OrgModel | None,
    ids: dict[str, str],
    context: AwsContext,
    only: frozenset[str] | None = None,
    kinds: frozenset[str] | None = None,
) -> dict[str, Live]:
    """Every kind's live resources that the spec needs read (nothing for a kind it does not
    use), by kind name; ``only``: in these accounts only (a partial plan's); ``kinds``: these
    kinds only."""
    from orgstack.aws.members import AccountClients
    from orgstack.live.kinds import plan_request, read_kinds
    from orgstack.registry import all_kinds

    accounts = active_accounts(desired, actual, ids)
    requests = {
        kind: request
        for kind in all_kinds()
        if (kinds is None or kind.name in kinds)
        and (request := plan_request(kind, desired, accounts, actual, ids, only)) is not None
    }
    if not requests:
        return {}
    role = desired.organization.access_role
    return read_kinds(context, AccountClients(context, context.caller_account(), role), requests)


def tree_ids(desired: OrgModel, skeleton: OrgModel | None) -> dict[str, str]:
    """The ids the kinds need from the organization's tree (the root, the spec's OUs and
    accounts), before its policies and tags are read."""
    from orgstack.plan.match import match

    if skeleton is None:
        return {}
    found = match(desired, skeleton)
    ids = {"root": skeleton.organization.root_id or ""}
    ids |= {f"ou:{path}": o.id for path, o in found.ous.items() if o.id}
    ids |= {f"account:{name}": a.id for name, a in found.accounts.items() if a.id}
    return {k: v for k, v in ids.items() if v}


def _reads_members(desired: OrgModel) -> bool:
    """Whether a kind will read member accounts (worth listing them early)."""
    from orgstack.live.kinds import plan_request
    from orgstack.registry import all_kinds

    ids = kind_ids(desired, _recorded(desired), "", None)
    accounts = {a.name: a.id or "" for a in desired.accounts}
    return any(plan_request(k, desired, accounts, None, ids) is not None for k in all_kinds())


def read_everything(
    desired: OrgModel, options: AwsOptions, context: AwsContext | None = None
) -> tuple[OrgModel | None, AwsContext, dict[str, Live]]:
    """The organization and every kind's resources, overlapped: when a kind reads member
    accounts, they are listed first (ListAccounts: one call per 20 accounts, the tree's
    listings by OU meanwhile), and the member-account reads start then, while the tree,
    policies and tags are still being read."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from orgstack.aws.context import AwsContext

    aws = context or AwsContext(options)
    started: list[Future[dict[str, Live]]] = []
    with ThreadPoolExecutor(max_workers=1) as member_reads:

        def on_tree(skeleton: OrgModel | None) -> None:
            organization = skeleton.organization.id if skeleton is not None else None
            home = aws.caller_account()
            ids = kind_ids(desired, tree_ids(desired, skeleton), home, organization)
            started.append(member_reads.submit(read_kinds_for, desired, skeleton, ids, aws))

        actual, _ = read_live(desired, options, aws, on_tree, early=_reads_members(desired))
        lives = started[0].result() if started else {}
    return actual, aws, lives


def read_scope_everything(
    desired: OrgModel, scope: Scope, options: AwsOptions, context: AwsContext | None = None
) -> tuple[OrgModel | None, AwsContext, dict[str, Live]]:
    """A partial plan's reads: the organization within ``scope``, then every kind's resources
    in the scope's accounts (other accounts' ids from the spec, where it records them)."""
    from orgstack.aws.context import AwsContext
    from orgstack.kinds.organization.vocabulary import OrgRequest
    from orgstack.plan.match import tag_selector
    from orgstack.plan.scope import restrict
    from orgstack.registry import core_kind

    aws = context or AwsContext(options)
    tags = tag_selector(restrict(desired, scope))
    actual = core_kind().read_organization(aws, OrgRequest(tags, scope=scope, desired=desired))
    assert actual is not None  # a scope outside an organization is refused
    known = _recorded(desired) | tree_ids(desired, actual)
    ids = kind_ids(desired, known, aws.caller_account(), actual.organization.id)
    return actual, aws, read_kinds_for(desired, actual, ids, aws, scope.accounts)


def make_plan(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    allow_close: bool = False,
    allow_delete: bool = False,
    context: AwsContext | None = None,
    targets: tuple[str, ...] = (),
) -> PlanResult:
    """Diff the spec against the live organization and every kind's resources; AWS hard-limit
    errors block the plan. ``targets``: a partial plan of only these (``plan --target``)."""
    from orgstack.flows.checks import spec_checks
    from orgstack.plan.scope import resolve

    desired = load_spec(spec_path)
    check_suppressions(desired)
    scope = resolve(desired, targets) if targets else None
    # The spec's own checks need no AWS answer: done while the reads run (flows/checks.py).
    with spec_checks(desired) as checks:
        plan, actual, context = _planned(
            desired, scope, options, context, allow_close=allow_close, allow_delete=allow_delete
        )
        blockers, digest = checks.result()
    plan = replace(
        plan,
        preflight=plan.preflight + blockers,
        spec_digest=digest,
        management_account=context.caller_account(),
    )
    return PlanResult(plan, desired, actual, context)


def _planned(
    desired: OrgModel,
    scope: Scope | None,
    options: AwsOptions,
    context: AwsContext | None,
    *,
    allow_close: bool,
    allow_delete: bool,
) -> tuple[Plan, OrgModel | None, AwsContext]:
    """The organization layer's and every kind's changes (the scope's only, with one)."""
    from orgstack.plan.kinds import plan_kinds
    from orgstack.plan.scope import restrict
    from orgstack.registry import all_kinds, core_kind

    if scope is None:
        actual, context, lives = read_everything(desired, options, context)
        plan = core_kind().diff(desired, actual, allow_close=allow_close)
    else:
        actual, context, lives = read_scope_everything(desired, scope, options, context)
        plan = core_kind().diff(restrict(desired, scope), actual, allow_close=allow_close)
    # The caller is known already (the organization read asked STS once). A partial plan
    # knows the other accounts' ids from the spec only (where apply or import recorded them).
    known = plan.ids if scope is None else _recorded(desired) | plan.ids
    ids = kind_ids(desired, known, context.caller_account(), plan.organization_id)
    if lives:
        for live in lives.values():
            ids |= live.ids
        changes, unmanaged, preflight = plan_kinds(
            desired,
            all_kinds(),
            lives,
            ids,
            allow_delete=allow_delete,
            only=scope.accounts if scope is not None else None,
        )
        plan = replace(
            plan,
            changes=plan.changes + tuple(changes),
            unmanaged=plan.unmanaged + tuple(unmanaged),
            preflight=plan.preflight + tuple(preflight),
            ids=ids,
        )
    plan = _for_core_changes(plan, actual)
    if scope is not None:
        plan = _partial(plan, scope)
    return plan, actual, context


def _recorded(desired: OrgModel) -> dict[str, str]:
    """The accounts' ids the spec records."""
    return {a.address: a.id for a in desired.accounts if a.id}


def _partial(plan: Plan, scope: Scope) -> Plan:
    """Only the changes within the scope (and the dependencies that come along), and the
    warnings about them; the plan records its scope, so apply refuses anything else."""
    from orgstack.plan.scope import within

    kept = tuple(c for c in plan.changes if within(c, scope, plan.changes))
    dropped = {c.address for c in plan.changes} - {c.address for c in kept}
    preflight = tuple(
        p for p in plan.preflight if not any(p.message.startswith(f"{a}:") for a in dropped)
    )
    unmanaged = tuple(u for u in plan.unmanaged if scope.covers(u.address))
    return replace(
        plan, changes=kept, unmanaged=unmanaged, preflight=preflight, scope=scope.to_dict()
    )


def _for_core_changes(plan: Plan, actual: OrgModel | None) -> Plan:
    """What the organization layer's own changes need of a kind (an account rename needs
    Account Management's trusted access), planned like the kind's own changes."""
    from orgstack.plan.model import Action
    from orgstack.plan.resources import change
    from orgstack.registry import all_kinds

    planned = {c.address for c in plan.changes}
    added = [
        change(address, Action.CREATE, None, value, why, None)
        for kind in all_kinds()
        for address, (value, why) in sorted(kind.for_changes(plan.changes, actual).items())
        if address not in planned
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
        try:
            written, skipped = adopt_live(
                result.plan, result.desired, check=lambda: load_spec(spec_path)
            )
        except OrgstackError as exc:
            raise OrgstackError(
                f"drift --adopt would leave a spec that does not load ({exc.message}); every "
                "file was put back as it was",
                "Adopt by hand what drift lists, or apply to revert AWS to the spec.",
            ) from None
    return DriftResult(items, written, skipped, result.context)
