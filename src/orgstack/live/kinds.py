"""Read what the resource kinds need from AWS: each kind's reader through a read-only context,
the kinds concurrently under the shared rate limiter."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.members import AccountClients
from orgstack.aws.reading import ReadContext
from orgstack.model.kind import Kind, Live, ReadRequest, account_of
from orgstack.plan.model import Plan


def plan_request(
    kind: Kind,
    model: Any,
    accounts: Mapping[str, str],
    live: Any,
    ids: Mapping[str, str],
    only: frozenset[str] | None = None,
) -> ReadRequest | None:
    """What ``plan`` asks a kind's reader: its spec section and the spec's active accounts
    (``only``: a partial plan's accounts); None (nothing read) when the spec declares neither
    the section nor a resource of it."""
    section = model.sections.get(kind.section) if kind.section else None
    if section is None and not kind.desired(model, ids):
        return None
    return ReadRequest(section, accounts, only=only, model=model, live=live, ids=ids)


def stale_request(kind: Kind, plan: Plan, live: Any, ids: Mapping[str, str]) -> ReadRequest | None:
    """What the stale check asks a kind's reader: the accounts the plan's changes touch, and
    the section the kind's ``section_from_plan`` rebuilds from them (when it needs one)."""
    rebuild = getattr(kind.reader, "section_from_plan", None)
    prefix = kind.info.prefix + ":"
    touched = frozenset(account_of(c.address) for c in plan.changes if c.address.startswith(prefix))
    if not touched:
        return None
    accounts = {name: ids[f"account:{name}"] for name in touched if f"account:{name}" in ids}
    section = rebuild(plan) if rebuild is not None else None
    return ReadRequest(section, accounts, only=touched, live=live, ids=ids)


def read_kinds(
    aws: AwsContext, clients: AccountClients, requests: Mapping[Kind, ReadRequest]
) -> dict[str, Live]:
    """Every requested kind's live resources, by kind name; kinds are read concurrently (each
    reader bounds its own concurrency), through clients that refuse any write."""
    if not requests:
        return {}
    ctx = ReadContext(aws, clients)
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = {
            kind.name: pool.submit(kind.reader.read, ctx, request)
            for kind, request in requests.items()
        }
        return {name: future.result() for name, future in futures.items()}
