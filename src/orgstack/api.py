"""The library surface: what the CLI (or a program) calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack.errors import UsageError
from orgstack.model import OrgModel
from orgstack.rules.base import Severity
from orgstack.rules.engine import RuleReport, check_suppressions, run_rules
from orgstack.rules.registry import pick

if TYPE_CHECKING:
    from orgstack.apply.context import ApplyOptions
    from orgstack.apply.engine import Outcome
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.plan.drift import DriftItem
    from orgstack.plan.model import Plan
from orgstack.spec.blueprints import Answers, generate
from orgstack.spec.loader import load_spec
from orgstack.spec.schema import json_schema

__all__ = [
    "InitResult",
    "PlanResult",
    "json_schema",
    "load_spec",
    "make_plan",
    "validate",
    "write_spec",
]

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
    _write_files(files, force)
    return InitResult(tuple(files), generated.summary, load_spec(output))


def _write_files(files: dict[Path, str], force: bool) -> None:
    """Write every file; one that exists with other content is only replaced with ``force``."""
    clashes = [p for p in files if p.exists() and p.read_text(encoding="utf-8") != files[p]]
    if clashes and not force:
        raise UsageError(
            f"{', '.join(str(p) for p in clashes)} already exist(s) with other content",
            "Choose another -o path, or pass --force to overwrite.",
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def validate(
    spec_path: str | Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> RuleReport:
    """Load the spec and run the chosen rules on it, offline."""
    model = load_spec(spec_path)
    check_suppressions(model)
    return run_rules(model, pick(select, ignore))


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
    from orgstack.plan.diff import managed_ids

    context = context or AwsContext(options)

    def tags_for(live: OrgModel) -> set[str]:
        if desired is None:
            return {o.id for o in live.ous if o.id} | {a.id for a in live.accounts if a.id}
        return managed_ids(desired, live)

    return read_organization(context, tags_for), context


def make_plan(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    allow_close: bool = False,
    allow_delete: bool = False,
    context: AwsContext | None = None,
) -> PlanResult:
    """Diff the spec against the live organization; AWS hard-limit errors block the plan."""
    from orgstack.plan.diff import diff
    from orgstack.plan.model import Preflight

    desired = load_spec(spec_path)
    check_suppressions(desired)
    actual, context = read_live(desired, options, context)
    plan = diff(desired, actual, allow_close=allow_close)
    if desired.access is not None:
        plan = _plan_access(plan, desired, actual, context, allow_delete)
    limits = tuple(r for r in pick(("limits", "LZ201", "LZ202")) if r.severity == Severity.ERROR)
    blockers = tuple(
        Preflight(
            "error",
            f"{f.source or f.address}: {f.rule_id} {f.rule_name}: {f.message}",
            "AWS would refuse this part of the apply; `orgstack validate` explains each finding.",
        )
        for f in run_rules(desired, limits).findings
    )
    return PlanResult(replace(plan, preflight=plan.preflight + blockers), desired, actual, context)


def active_accounts(
    desired: OrgModel, actual: OrgModel | None, ids: dict[str, str]
) -> dict[str, str]:
    """Name → id of the spec's accounts that exist and are active (roles can be read there)."""
    status = {a.id: a.status for a in actual.accounts} if actual else {}
    return {
        a.name: ids[a.address]
        for a in desired.accounts
        if a.address in ids and status.get(ids[a.address], "ACTIVE") == "ACTIVE"
    }


def _plan_access(
    plan: Plan,
    desired: OrgModel,
    actual: OrgModel | None,
    context: AwsContext,
    allow_delete: bool,
) -> Plan:
    """Add the access changes: read what exists (IAM in each account, or Identity Center),
    diff it against what the matrix implies."""
    from orgstack.live.access import Clients, read_access
    from orgstack.plan.access import LiveAccess, access_changes, desired_resources
    from orgstack.plan.model import Preflight

    assert desired.access is not None
    ids = dict(plan.ids)
    management = desired.management
    home = context.caller_account()
    if management is not None and management.address not in ids:
        ids[management.address] = home  # no organization yet: the caller becomes management
    accounts = active_accounts(desired, actual, ids)
    live = LiveAccess()
    preflight = list(plan.preflight)
    if actual is None and desired.access.mode != "iam":
        preflight.append(
            Preflight(
                "error",
                "access.mode identity-center needs an organization with IAM Identity Center "
                "enabled",
                "Apply the organization first (without access:), enable Identity Center in "
                "the console, then add access: and plan again.",
            )
        )
    elif actual is not None or desired.access.mode == "iam":
        role = desired.organization.access_role
        live = read_access(context, desired.access, accounts, Clients(context, home, role))
    ids |= live.ids
    ids["access-role"] = desired.organization.access_role
    changes, unmanaged = access_changes(
        desired_resources(desired, ids), live, allow_delete=allow_delete
    )
    if desired.unmanaged == "ignore":
        unmanaged = []
    return replace(
        plan,
        changes=plan.changes + tuple(changes),
        unmanaged=plan.unmanaged + tuple(unmanaged),
        preflight=tuple(preflight),
        ids=ids,
    )


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


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: the plan, each change's outcome, and the journal it wrote."""

    plan: Plan
    outcome: Outcome
    journal: Path
    context: AwsContext

    @property
    def ok(self) -> bool:
        return not self.outcome.failed and not self.outcome.skipped


def load_plan_for_apply(plan_path: Path | None, resume: bool) -> tuple[Plan, dict[str, Any]]:
    """The plan file given, or with ``resume`` and none given, the last unfinished apply's."""
    from orgstack.apply.journal import latest_unfinished
    from orgstack.plan.planfile import read_plan
    from orgstack.sandbox.state import state_dir

    if plan_path is not None:
        return read_plan(plan_path)
    if not resume:
        raise UsageError(
            "no plan file given", "Pass the file `orgstack plan -o` wrote, or --resume."
        )
    journal = latest_unfinished(state_dir() / "journal")
    if journal is None:
        raise UsageError(
            "there is no unfinished apply to resume", "Run `orgstack plan -o plan.json`."
        )
    return read_plan(journal.plan_path)


def apply_plan(
    plan: Plan,
    data: dict[str, Any],
    options: AwsOptions,
    apply_options: ApplyOptions,
    *,
    resume: bool = False,
    emit: Callable[[dict[str, Any]], None] | None = None,
    checkpoint: Callable[[int, str], None] | None = None,
    context: AwsContext | None = None,
) -> ApplyResult:
    """Apply exactly ``plan``: refuse it when blocked, already applied or stale; journal every
    step; with ``resume``, continue a crashed apply of the same plan."""
    from orgstack.apply import engine
    from orgstack.apply.context import ApplyError, ExecContext
    from orgstack.apply.journal import Journal
    from orgstack.apply.stale import check_fresh
    from orgstack.aws.context import AwsContext
    from orgstack.live.organization import read_organization
    from orgstack.plan.planfile import write_plan
    from orgstack.sandbox.state import state_dir

    if plan.blocked:
        raise ApplyError(
            "the plan has pre-flight errors; nothing was applied", "Fix them, then plan again."
        )
    journal = Journal(state_dir() / "journal", data["plan_id"])
    resumed = journal.state()
    if resumed.finished:
        raise ApplyError(
            f"plan {data['plan_id']} was applied already", "Run `orgstack plan` for what is left."
        )
    if journal.exists() and not resume:
        raise ApplyError(
            f"plan {data['plan_id']} was partly applied (journal {journal.path})",
            "Continue it with `orgstack apply --resume`.",
        )
    if not journal.plan_path.exists():
        write_plan(journal.plan_path, data)
    context = context or AwsContext(options)
    wanted = {k[3:] for c in plan.changes for k in c.fingerprints if k.startswith("id:")}
    live = read_organization(context, tags_for=lambda _: wanted)
    touched = {k for i in resumed.started for k in plan.changes[i].fingerprints}
    role = next(
        (
            (c.after or {}).get("access_role")
            for c in plan.changes
            if c.address.startswith("account:") and c.action.value == "create"
        ),
        None,
    ) or plan.ids.get("access-role")
    if role:
        apply_options = replace(apply_options, access_role=role)
    clients = None
    if any(c.address.startswith("access:") for c in plan.changes):
        from orgstack.live.access import Clients

        # One set of member-account sessions for the stale check and the executors.
        clients = Clients(context, context.caller_account(), apply_options.access_role)
    check_fresh(plan, live, skip=touched, access=_live_access_for(plan, context, clients))
    ctx = ExecContext(
        context,
        journal,
        apply_options,
        dict(plan.ids),
        resumed,
        emit=emit or (lambda _: None),
        checkpoint=checkpoint or (lambda _i, _p: None),
        _access_clients=clients,
    )
    journal.append("apply", plan_id=data["plan_id"], resume=resume, changes=len(plan.changes))
    outcome = engine.run(plan, ctx)
    summary = {
        "done": len(outcome.done),
        "failed": len(outcome.failed),
        "skipped": len(outcome.skipped),
    }
    journal.append("finished" if len(outcome.done) == len(plan.changes) else "stopped", **summary)
    return ApplyResult(plan, outcome, journal.path, context)


def _live_access_for(plan: Plan, context: AwsContext, clients: Any) -> Any:
    """The live access objects a plan's access changes refer to (None without any), read for
    the stale check: only the accounts those changes touch."""
    from orgstack.live.access import read_access
    from orgstack.plan.access import access_from_plan

    found = access_from_plan(plan)
    if found is None or clients is None:
        return None
    access, touched = found
    accounts = {
        name[len("account:") :]: account_id
        for name, account_id in plan.ids.items()
        if name.startswith("account:") and name[len("account:") :] in touched
    }
    return read_access(context, access, accounts, clients, only=touched)


def audit(
    spec_path: str | Path | None,
    options: AwsOptions,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    *,
    context: AwsContext | None = None,
) -> tuple[RuleReport, AwsContext]:
    """Run the rules on the live organization (seen through the spec, when there is one)."""
    from orgstack.aws.errors import AwsError
    from orgstack.errors import SpecNotFoundError
    from orgstack.live.guess import guess_stage
    from orgstack.plan.enrich import enrich

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
    model = enrich(live, desired, guess_stage)
    if desired is not None and desired.access is not None:
        model = replace(model, access_live=_audit_access(desired, live, context))
    return run_rules(model, pick(select, ignore)), context


def _matched_ids(desired: OrgModel, live: OrgModel) -> dict[str, str]:
    """``account:<name>`` → live id of the spec's accounts found in AWS."""
    from orgstack.plan.match import match

    return {f"account:{n}": a.id for n, a in match(desired, live).accounts.items() if a.id}


def _audit_access(desired: OrgModel, live: OrgModel, context: AwsContext) -> dict[str, Any]:
    """The access objects as they are in AWS, for the access rules."""
    from orgstack.live.access import Clients, read_access

    assert desired.access is not None
    accounts = active_accounts(desired, live, _matched_ids(desired, live))
    clients = Clients(context, context.caller_account(), desired.organization.access_role)
    return read_access(context, desired.access, accounts, clients).resources


@dataclass(frozen=True)
class AccessView:
    """What ``orgstack access --user`` prints: the profiles and console links."""

    config: str
    links: list[tuple[str, str]]
    context: AwsContext


def access_view(
    spec_path: str | Path | None,
    options: AwsOptions,
    user: str,
    *,
    source_profile: str | None = None,
    context: AwsContext | None = None,
) -> AccessView:
    """A user's ``~/.aws/config`` profiles and console links, with account ids read from the
    organization (one read of the account tree; no tags, no member accounts)."""
    from orgstack.aws.context import AwsContext
    from orgstack.live.organization import read_organization
    from orgstack.report.access_view import aws_config, console_links, entries_for

    desired = load_spec(spec_path)
    context = context or AwsContext(options)
    live = read_organization(context, tags_for=lambda _: ())
    ids = {f"account:{a.name}": a.id for a in desired.accounts if a.id}
    if live is not None:
        ids |= _matched_ids(desired, live)
    entries = entries_for(desired, user, ids)
    access = desired.access
    assert access is not None
    region = desired.organization.home_region
    start_url = access.sso_start_url
    if access.mode != "iam" and start_url is None:
        instances = list(
            context.pages(
                context.client("sso-admin", access.sso_region), "list_instances", "Instances"
            )
        )
        if not instances:
            raise UsageError(
                "IAM Identity Center is not enabled; there is no access portal yet",
                "Enable it, or set access.sso_start_url.",
            )
        start_url = f"https://{instances[0]['IdentityStoreId']}.awsapps.com/start"
    identity_id = ids.get(f"account:{access.identity_account}", "")
    config = aws_config(
        desired,
        user,
        entries,
        identity_id=identity_id,
        source_profile=source_profile or f"{desired.organization.name}-{user}",
        region=region,
        sso_start_url=start_url,
        sso_region=access.sso_region or region,
    )
    links = console_links(desired, entries, start_url)
    return AccessView(
        config, [(e.profile, link) for e, link in zip(entries, links, strict=True)], context
    )
