"""Run a plan: dependency graph, bounded concurrency, retries, journal, events, summary."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from orgstack.apply.context import ApplyError, AwsPendingError, ExecContext
from orgstack.aws.errors import AwsError
from orgstack.errors import ExitCode, OrgstackError
from orgstack.model import PolicyType, paths
from orgstack.model.kind import account_of
from orgstack.plan.model import Action, Change, Changes, Plan
from orgstack.plan.resources import ou_placeholders, placeholders
from orgstack.registry import kind_for, owner_of

Executor = Callable[[Change, int, ExecContext], dict[str, Any]]
#: Worth retrying whole (executors are idempotent): AWS asks to try again later.
RETRYABLE = {
    "ConcurrentModificationException",
    "TooManyRequestsException",
    "PolicyTypeNotEnabledException",  # enabling a type takes a moment to settle
    "FinalizingOrganizationException",
    "PolicyChangesInProgressException",
    # IAM and Identity Center: a concurrent change to the same object, or throttling that
    # outlasted botocore's own retries.
    "ConcurrentModification",
    "Throttling",
    "ThrottlingException",
    "ConflictException",
}
POLICY_TYPES = {p.address_prefix: p.aws_name for p in PolicyType}
#: Renaming an account waits for this change when the plan has it.
TRUSTED_ACCOUNT_MANAGEMENT = "trusted-access:organization/account.amazonaws.com"


def dependencies(changes: tuple[Change, ...]) -> list[set[int]]:
    """For each change, the changes that must be done first."""
    creates = {c.address: i for i, c in enumerate(changes) if c.action == Action.CREATE}
    enables = {
        c.address.split(":", 1)[1]: i for i, c in enumerate(changes) if c.action == Action.ENABLE
    }
    attaches = {i for i, c in enumerate(changes) if c.action == Action.ATTACH}
    account_management = {
        i for i, c in enumerate(changes) if c.address == TRUSTED_ACCOUNT_MANAGEMENT
    }
    org = creates.get("organization")
    last: dict[str, int] = {}
    deps: list[set[int]] = []
    kind_needs = kind_dependencies(changes)
    for i, change in enumerate(changes):
        kind, _, name = change.address.partition(":")
        if i in kind_needs:
            deps.append(kind_needs[i])
            continue
        needs: set[int] = set()
        if org is not None and i != org:
            needs.add(org)
        if kind in POLICY_TYPES and POLICY_TYPES[kind] in enables:
            needs.add(enables[POLICY_TYPES[kind]])
        if kind == "ou" and paths.parent(name):
            needs.add(creates.get(f"ou:{paths.parent(name)}", -1))
        if kind in POLICY_TYPES and change.action in (Action.CREATE, Action.UPDATE):
            # a section's policy naming an account created by the same plan waits for it
            needs |= {creates.get(f"account:{a}", -1) for a in placeholders(change.after or {})}
        for value in (change.after or {}).get("ou"), (change.after or {}).get("target"):
            if value:
                needs.add(creates.get(value if ":" in value else f"ou:{value}", -1))
        if change.action == Action.SUSPEND:
            needs |= {
                j for j, c in enumerate(changes) if c.address.startswith("scp:orgstack-suspended")
            }
        if change.action == Action.DETACH:
            needs |= attaches  # a replacement allow is attached before any detach
        if kind == "account" and change.action == Action.UPDATE and "name" in (change.after or {}):
            needs |= account_management  # PutAccountName needs its trusted access
        if change.address in last:
            needs.add(last[change.address])
        if change.action != Action.CREATE or kind != "account":
            needs.add(creates.get(change.address, -1))
        last[change.address] = i
        needs.discard(-1)
        needs.discard(i)
        deps.append(needs)
    return deps


def kind_dependencies(changes: tuple[Change, ...]) -> dict[int, set[int]]:
    """For each change of a resource kind, what it waits for: the organization's creation, the
    accounts it lives in or names (``{account:NAME}``), the creations and updates of the
    types its kind's ``WAITS_FOR`` names, every change of the kinds its ``after`` names, and
    for a deletion every change of the types ``DELETE_WAITS_FOR`` names. Indexed once: large
    plans stay linear."""
    organization = {i for i, c in enumerate(changes) if c.address == "organization"}
    accounts = {
        c.address.split(":", 1)[1]: i
        for i, c in enumerate(changes)
        if c.action == Action.CREATE and c.address.startswith("account:")
    }
    ous = {
        c.address.split(":", 1)[1]: i
        for i, c in enumerate(changes)
        if c.action == Action.CREATE and c.address.startswith("ou:")
    }
    mine = [(i, c, k) for i, c in enumerate(changes) if (k := kind_for(c.address)) is not None]
    indexed = Changes(changes)
    created: dict[tuple[str, str], set[int]] = defaultdict(set)
    touched: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_prefix: dict[str, set[int]] = defaultdict(set)
    for i, c, k in mine:
        key = (k.info.prefix, k.type_of(c.address))
        touched[key].add(i)
        by_prefix[k.info.prefix].add(i)
        if c.action in (Action.CREATE, Action.UPDATE):
            created[key].add(i)
    found: dict[int, set[int]] = {}
    for i, change, k in mine:
        prefix, type_ = k.info.prefix, k.type_of(change.address)
        home = account_of(change.address)
        named = {home} | placeholders(change.after or change.before or {})
        needs = organization | {accounts[a] for a in named if a in accounts}
        needs |= {ous[o] for o in ou_placeholders(change.after or {}) if o in ous}
        for other in k.waits_for_types(type_):
            needs |= created[(prefix, other)]
        if change.action == Action.DELETE:
            for other in k.waits_for_types(type_, deleting=True):
                needs |= touched[(prefix, other)]
        chosen = k.waits_for(change, indexed)
        if chosen is not None:
            needs |= set(chosen)
        else:
            for other_prefix in k.info.after:
                needs |= by_prefix[other_prefix]
        needs.discard(i)
        found[i] = needs
    return found


class ApplyInterruptedError(ApplyError):
    """Ctrl-C during an apply: what ran is journaled; resume continues it."""

    exit_code = ExitCode.INTERRUPTED


@dataclass
class Outcome:
    """What happened to each change of the plan."""

    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    failed: dict[int, OrgstackError] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)
    already: set[int] = field(default_factory=set)
    #: Changes that wait on a state AWS has not finished: neither done nor failed.
    waiting: dict[int, AwsPendingError] = field(default_factory=dict)


def executor_for(change: Change) -> Executor:
    """The executor of a change: its kind's (the core kind's for the organization's own
    objects), by the address's type and the action."""
    kind = owner_of(change.address)
    found = None
    if kind is not None:
        found = kind.executor(kind.type_of(change.address), change.action.value)
    if found is None:
        raise ApplyError(
            f"{change.address}: no executor can {change.action.value} it",
            "The plan was made by another version of orgstack; plan again with this one.",
        )
    return found


def _start_and_run(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Journal "start" when a worker takes the change up, not when it is queued: a change
    cancelled in the queue (Ctrl-C) was never started, and resume checks it as planned."""
    ctx.checkpoint(index, "start")
    ctx.journal.append("start", index=index, address=change.address, action=change.action.value)
    ctx.emit(
        {"event": "start", "index": index, "address": change.address, "action": change.action.value}
    )
    return _run_one(change, index, ctx)


def _run_one(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    executor = executor_for(change)
    for attempt in range(ctx.options.retries + 1):
        try:
            return executor(change, index, ctx)
        except AwsError as exc:
            if exc.code not in RETRYABLE or attempt == ctx.options.retries:
                raise
            delay = ctx.options.retry_base_s * (2**attempt) * (0.5 + random.random())
            ctx.emit(
                {
                    "event": "retry",
                    "index": index,
                    "address": change.address,
                    "code": exc.code,
                    "delay_s": round(delay, 2),
                }
            )
            ctx.sleep(delay)
    raise AssertionError("unreachable")


def _restored(plan: Plan, ctx: ExecContext) -> Outcome:
    """What a resumed apply did already, with the ids its changes made."""
    outcome = Outcome()
    for index, result in ctx.resumed.done.items():
        outcome.done[index] = result
        outcome.already.add(index)
        if result.get("id"):
            ctx.set_id(plan.changes[index].address, result["id"])
        if result.get("root"):
            ctx.set_id("root", result["root"])
    return outcome


def run(plan: Plan, ctx: ExecContext) -> Outcome:
    """Execute every change not already done, dependencies first, independent work concurrently;
    a failed change skips what depends on it, everything else goes on."""
    outcome = _restored(plan, ctx)
    deps = dependencies(plan.changes)
    pending = [i for i in range(len(plan.changes)) if i not in outcome.done]
    running: dict[Future[dict[str, Any]], int] = {}
    pool = ThreadPoolExecutor(max_workers=ctx.options.max_workers)
    try:
        while pending or running:
            for index in list(pending):
                blocked = deps[index] & (
                    set(outcome.failed) | set(outcome.skipped) | set(outcome.waiting)
                )
                if blocked:
                    first = plan.changes[min(blocked)].address
                    outcome.skipped[index] = (
                        f"waits for {first}, which waits on AWS"
                        if min(blocked) in outcome.waiting
                        else f"depends on {first}, which did not complete"
                    )
                    ctx.journal.append(
                        "skipped",
                        index=index,
                        address=plan.changes[index].address,
                        reason=outcome.skipped[index],
                    )
                    ctx.emit(
                        {"event": "skipped", "index": index, "address": plan.changes[index].address}
                    )
                    pending.remove(index)
                elif deps[index] <= set(outcome.done):
                    change = plan.changes[index]
                    running[pool.submit(_start_and_run, change, index, ctx)] = index
                    pending.remove(index)
            if not running:
                if pending and not any(deps[i] <= set(outcome.done) for i in pending):
                    raise ApplyError(  # nothing runs and nothing can start: a cycle
                        "these changes wait for each other: "
                        + ", ".join(plan.changes[i].address for i in sorted(pending)[:5]),
                        "This is a bug in orgstack; please report it with the plan file.",
                    )
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                index = running.pop(future)
                change = plan.changes[index]
                try:
                    result = future.result()
                except OrgstackError as exc:
                    waits = isinstance(exc, AwsPendingError)
                    if isinstance(exc, AwsPendingError):
                        outcome.waiting[index] = exc
                    else:
                        outcome.failed[index] = exc
                    event, key = ("waiting", "reason") if waits else ("failed", "error")
                    ctx.journal.append(
                        event, index=index, address=change.address, **{key: exc.message}
                    )
                    ctx.emit(
                        {
                            "event": event,
                            "index": index,
                            "address": change.address,
                            key: exc.message,
                            "hint": exc.hint,
                        }
                    )
                    continue
                ctx.checkpoint(index, "done")
                outcome.done[index] = result
                ctx.journal.append("done", index=index, address=change.address, result=result)
                ctx.emit(
                    {
                        "event": "done",
                        "index": index,
                        "address": change.address,
                        "action": change.action.value,
                    }
                )
    except KeyboardInterrupt:
        # Start nothing more; what runs now finishes (an AWS call cannot be taken back halfway)
        # and is re-run idempotently on resume, since its end was not journaled.
        pool.shutdown(wait=True, cancel_futures=True)
        ctx.journal.append("interrupted", done=len(outcome.done), running=sorted(running.values()))
        raise ApplyInterruptedError(
            f"the apply was interrupted: {len(outcome.done)} of {len(plan.changes)} changes done, "
            "the rest not started",
            "Continue it with `orgstack apply --resume` (the plan is journaled).",
        ) from None
    finally:
        pool.shutdown(wait=True)
    return outcome


__all__ = [
    "ApplyError",
    "ApplyInterruptedError",
    "AwsPendingError",
    "Outcome",
    "dependencies",
    "executor_for",
    "run",
]
