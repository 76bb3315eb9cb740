"""Apply: exactly the plan given, refused when blocked, applied already or stale; journaled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack.errors import UsageError

if TYPE_CHECKING:
    from orgstack.apply.context import ApplyOptions
    from orgstack.apply.engine import Outcome
    from orgstack.apply.journal import Journal, JournalState
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.aws.members import AccountClients
    from orgstack.model import OrgModel
    from orgstack.model.kind import Live
    from orgstack.plan.model import Plan


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: the plan, each change's outcome, and the journal it wrote."""

    plan: Plan
    outcome: Outcome
    journal: Path
    context: AwsContext

    @property
    def ok(self) -> bool:
        return not self.outcome.failed and not self.outcome.skipped and not self.outcome.waiting

    @property
    def exit_code(self) -> int:
        """0 all done; 3 nothing failed but a change waits on AWS; 1 otherwise."""
        from orgstack.errors import ExitCode

        waits = self.outcome.waiting and not self.outcome.failed
        return int(ExitCode.OK if self.ok else ExitCode.PENDING if waits else ExitCode.ERROR)


def load_plan_for_apply(plan_path: Path | None, resume: bool) -> tuple[Plan, dict[str, Any]]:
    """The plan file given, or with ``resume`` and none given, the last unfinished apply's."""
    from orgstack.apply.journal import latest_unfinished
    from orgstack.plan.planfile import read_plan
    from orgstack.sandbox.state import local_state_dir

    if plan_path is not None:
        found = read_plan(plan_path)
        if resume:
            _same_spec(*found)
        return found
    if not resume:
        raise UsageError(
            "no plan file given", "Pass the file `orgstack plan -o` wrote, or --resume."
        )
    journal = latest_unfinished(local_state_dir() / "journal")
    if journal is None:
        raise UsageError(
            "there is no unfinished apply to resume", "Run `orgstack plan -o plan.json`."
        )
    found = read_plan(journal.plan_path)
    _same_spec(*found)
    return found


def _same_spec(plan: Plan, data: dict[str, Any]) -> None:
    """Resuming carries on with what the spec declared then: refuse once it declares
    something else (the rest of the plan would undo or contradict the newer spec)."""
    from orgstack.errors import OrgstackError
    from orgstack.plan.fingerprint import spec_digest
    from orgstack.spec.loader import load_spec

    if plan.spec_digest is None:
        return  # a plan file written before plans recorded their spec
    abandon = f"`orgstack apply --abandon {data['plan_id']}`"
    try:
        now = spec_digest(load_spec(data["spec"]))
    except OrgstackError as exc:
        raise UsageError(
            f"cannot resume plan {data['plan_id']}: its spec {data['spec']} cannot be read "
            f"({exc.message})",
            f"Resume where the plan was made, with its spec; or set the apply aside with "
            f"{abandon} and plan again.",
        ) from None
    if now != plan.spec_digest:
        raise UsageError(
            f"cannot resume plan {data['plan_id']} (made {data.get('created_at')}): the spec "
            f"{data['spec']} changed since; resuming would apply what it no longer declares",
            f"Set the unfinished apply aside with {abandon}, then `orgstack plan -o plan.json` "
            "and apply that.",
        )


def record_created_ids(
    plan: Plan, data: dict[str, Any], done: dict[int, dict[str, Any]]
) -> list[str]:
    """Write the ids of the OUs, accounts and policies an apply created into the spec it was
    planned from (``id:``, comments kept), so renaming a key later renames the object in AWS,
    and what the executors ask to record (a new VPC's range, so it never moves). Returns the
    files written (none when the spec cannot be read here)."""
    from orgstack.errors import OrgstackError
    from orgstack.plan.model import Action
    from orgstack.spec.adopt import record_ids, record_values
    from orgstack.spec.loader import load_spec

    created = {
        plan.changes[i].address: str(result["id"])
        for i, result in done.items()
        if plan.changes[i].action == Action.CREATE and result.get("id")
    }
    values = sorted(
        (list(r["path"]), str(r["value"]))
        for result in done.values()
        for r in result.get("record", [])
    )
    written = record_values(str(data["spec"]), values) if values else []
    if not created:
        return written
    try:
        desired = load_spec(data["spec"])
    except OrgstackError:
        return written
    return sorted(set(written) | set(record_ids(desired, created)))


def unfinished_applies() -> list[dict[str, Any]]:
    """Every unfinished apply (``apply --list``), most recent first."""
    from orgstack.apply.journal import describe, unfinished
    from orgstack.sandbox.state import local_state_dir

    return [describe(j) for j in unfinished(local_state_dir() / "journal")]


def force_unlock(spec_path: str | Path | None, options: AwsOptions) -> dict[str, Any] | None:
    """Remove the apply lock whoever holds it (``apply --force-unlock``, for a holder that
    died); what it held, or None when no apply held it."""
    from orgstack.apply.ledger import Ledger
    from orgstack.aws.context import AwsContext
    from orgstack.spec.loader import load_spec

    region = load_spec(spec_path).organization.home_region
    context = AwsContext(options)
    return Ledger(context, region, context.caller_account()).unlock(None)


def abandon_apply(plan_id: str) -> dict[str, Any]:
    """Mark an unfinished apply abandoned: ``--resume`` no longer picks it; its journal stays."""
    from orgstack.apply.journal import Journal, describe, unfinished
    from orgstack.sandbox.state import local_state_dir

    directory = local_state_dir() / "journal"
    found = [j for j in unfinished(directory) if j.path.stem == plan_id]
    if not found:
        known = ", ".join(j.path.stem for j in unfinished(directory)) or "none"
        raise UsageError(
            f"no unfinished apply {plan_id}",
            f"`orgstack apply --list` shows them (unfinished now: {known}).",
        )
    Journal(directory, plan_id).append("abandoned")
    return describe(found[0])


def _access_role(plan: Plan) -> str | None:
    """The role orgstack enters member accounts with: the one new accounts are created with,
    else the one the plan was made with."""
    return next(
        (
            (c.after or {}).get("access_role")
            for c in plan.changes
            if c.address.startswith("account:") and c.action.value == "create"
        ),
        None,
    ) or plan.ids.get("access-role")


def live_kinds_for(
    plan: Plan, live: OrgModel | None, context: AwsContext, clients: AccountClients
) -> dict[str, Live]:
    """The live resources a plan's kind changes refer to, read for the stale check: only the
    accounts those changes touch."""
    from orgstack.live.kinds import read_kinds, stale_request
    from orgstack.registry import all_kinds

    requests = {
        kind: request
        for kind in all_kinds()
        if (request := stale_request(kind, plan, live, plan.ids)) is not None
    }
    return read_kinds(context, clients, requests)


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
    from orgstack.apply.ledger import Ledger
    from orgstack.apply.stale import check_fresh
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients
    from orgstack.registry import kind_for

    region, journal, resumed = _refuse_early(plan, data, resume)
    context = context or AwsContext(options)
    if emit is not None:
        report = emit
        context.on_slow(
            lambda op, s: report({"event": "slow", "operation": op, "elapsed_s": round(s)})
        )
    _check_target(plan, context)
    ledger = Ledger(context, region, str(plan.management_account))
    ledger.ensure_table()
    with ledger.held(data["plan_id"]):
        ledger.check(data["plan_id"], data["created_at"], resume)
        wanted = {k[3:] for c in plan.changes for k in c.fingerprints if k.startswith("id:")}
        live = _stale_read(plan, data, context, wanted)
        if (
            plan.organization_id
            and live is not None
            and live.organization.id
            not in (
                None,
                plan.organization_id,
            )
        ):
            raise ApplyError(
                f"the plan was made for organization {plan.organization_id}; this management "
                f"account's is {live.organization.id}",
                "Make a new plan with `orgstack plan -o plan.json` and apply that.",
            )
        touched = {k for i in resumed.started for k in plan.changes[i].fingerprints}
        role = _access_role(plan)
        if role:
            apply_options = replace(apply_options, access_role=role)
        clients = None
        kinds = {}
        if any(kind_for(c.address) is not None for c in plan.changes):
            # One set of member-account sessions for the stale check and the executors.
            clients = AccountClients(context, context.caller_account(), apply_options.access_role)
            kinds = live_kinds_for(plan, live, context, clients)
        check_fresh(plan, live, skip=touched, kinds=kinds)
        # Journaled before the ledger records it: a kill between the two leaves a journal
        # `apply --resume` continues, never a plan "applied" with nothing to resume.
        journal.append("apply", plan_id=data["plan_id"], resume=resume, changes=len(plan.changes))
        # Under the lock: no other apply changes AWS between the stale check and the end.
        ledger.record(data["plan_id"], data["created_at"], resume)
        ctx = ExecContext(
            context,
            journal,
            apply_options,
            dict(plan.ids),
            resumed,
            emit=emit or (lambda _: None),
            checkpoint=checkpoint or (lambda _i, _p: None),
            _accounts=clients,
        )
        outcome = engine.run(plan, ctx)
        summary = {
            "done": len(outcome.done),
            "failed": len(outcome.failed),
            "waiting": len(outcome.waiting),
            "skipped": len(outcome.skipped),
        }
        journal.append(
            "finished" if len(outcome.done) == len(plan.changes) else "stopped", **summary
        )
    return ApplyResult(plan, outcome, journal.path, context)


def _refuse_early(
    plan: Plan, data: dict[str, Any], resume: bool
) -> tuple[str, Journal, JournalState]:
    """What needs no AWS call: a blocked, inconsistent, expired or unproduced plan, a damaged
    or finished journal, a partly applied plan without --resume. The organization's home
    Region, the journal and what it says."""
    from orgstack.apply.context import ApplyError
    from orgstack.apply.journal import Journal
    from orgstack.plan.planfile import check_consistent, check_current, write_plan
    from orgstack.sandbox.state import local_state_dir

    if plan.blocked:
        raise ApplyError(
            "the plan has pre-flight errors; nothing was applied", "Fix them, then plan again."
        )
    check_consistent(plan)  # a plan handed over as an object, too: its scope holds
    if not resume:
        check_current(data)
    region = _check_produced(plan, data)
    journal = Journal(local_state_dir() / "journal", data["plan_id"])
    resumed = journal.state()
    if resumed.damaged and not resumed.finished:
        raise ApplyError(
            f"the journal {journal.path} of plan {data['plan_id']} is damaged (line "
            f"{', '.join(map(str, resumed.damaged[:5]))} is not a record): it cannot say what "
            "was done",
            f"Set it aside with `orgstack apply --abandon {data['plan_id']}`, then "
            "`orgstack plan -o plan.json` and apply that (every change is idempotent).",
        )
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
    return region, journal, resumed


def _check_produced(plan: Plan, data: dict[str, Any]) -> str:
    """Compile the spec the plan names and refuse what it does not produce; the
    organization's home Region (where its shared apply state lives)."""
    from orgstack.apply.provenance import check_produced
    from orgstack.errors import OrgstackError
    from orgstack.spec.loader import load_spec

    try:
        model = load_spec(data["spec"])
    except OrgstackError as exc:
        raise OrgstackError(
            f"the plan's spec {data['spec']} cannot be read ({exc.message}); apply checks every "
            "change against it",
            "Apply where the plan was made, with its spec.",
        ) from None
    from orgstack.registry import all_kinds

    needed = {
        address: value
        for kind in all_kinds()
        for address, (value, _) in kind.for_changes(plan.changes, None).items()
    }
    check_produced(plan, model, str(data["spec"]), needed)
    return model.organization.home_region


def _check_target(plan: Plan, context: AwsContext) -> None:
    """Refuse credentials of another account than the one that made the plan."""
    from orgstack.apply.context import ApplyError

    if plan.management_account is None:
        raise ApplyError(
            "the plan names no management account (plans made by orgstack do)",
            "Make a new plan with `orgstack plan -o plan.json`, review it, and apply that file.",
        )
    caller = context.caller_account()
    if caller != plan.management_account:
        raise ApplyError(
            f"the plan was made for management account {plan.management_account}; these "
            f"credentials are of account {caller}",
            "Apply with the credentials the plan was made with, or plan again with these.",
        )


def _stale_read(
    plan: Plan, data: dict[str, Any], context: AwsContext, wanted: set[str]
) -> OrgModel | None:
    """The organization as the stale check needs it: a partial plan's scope only (read as
    the plan read it, so its digests compare); else only the objects the plan fingerprinted,
    each read alone, or, where that takes more calls, the whole organization with their
    tags."""
    from orgstack.kinds.organization.vocabulary import OrgRequest, cheaper, wanted_from
    from orgstack.registry import core_kind, kind_for

    def tags(object_id: str, _obj: object) -> bool:
        return object_id in wanted

    if plan.scope is None:
        observed: dict[str, Any] = {}
        for change in plan.changes:
            observed |= change.observed
        keys = {k for c in plan.changes for k in c.fingerprints if kind_for(k) is None}
        alone = wanted_from(keys, observed)
        if alone is not None and cheaper(alone, plan.ids):
            return core_kind().read_organization(context, OrgRequest(touched=alone))
        return core_kind().read_organization(context, OrgRequest(tags))
    from orgstack.plan.scope import Scope
    from orgstack.spec.loader import load_spec

    desired = load_spec(data["spec"])
    scope = Scope.from_dict(plan.scope)
    request = OrgRequest(tags, scope=scope, desired=desired)
    return core_kind().read_organization(context, request)
