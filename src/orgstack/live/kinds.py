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
from orgstack.plan.resources import resolve


def plan_request(
    kind: Kind,
    model: Any,
    accounts: Mapping[str, str],
    live: Any,
    ids: Mapping[str, str],
    only: frozenset[str] | None = None,
) -> ReadRequest | None:
    """What ``plan`` asks a kind's reader: the kind's desired resources as targets, the
    spec's active accounts (``only``: a partial plan's accounts); None (nothing read) when the
    spec declares neither the kind's section nor a resource of it."""
    targets = kind.desired(model, ids)
    if not targets and (not kind.section or model.sections.get(kind.section) is None):
        return None
    extra = kind.read_with(model)
    return ReadRequest(
        targets,
        accounts,
        only=only,
        live=live,
        ids={**ids, **extra},
        whole=only is None,
        read_with=extra,
    )


def stale_request(kind: Kind, plan: Plan, live: Any, ids: Mapping[str, str]) -> ReadRequest | None:
    """What the stale check asks a kind's reader: the same shape, the plan's changes of the
    kind as targets (what each names, placeholders resolved), in the accounts they touch."""
    prefix = kind.info.prefix + ":"
    targets = {
        c.address: resolve(c.after or c.before or {}, ids)
        for c in plan.changes
        if c.address.startswith(prefix)
    }
    if not targets:
        return None
    touched = frozenset(account_of(address) for address in targets)
    accounts = {name: ids[f"account:{name}"] for name in touched if f"account:{name}" in ids}
    return ReadRequest(targets, accounts, only=touched, live=live, ids=ids)


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
            kind.name: pool.submit(kind.read, ctx, request) for kind, request in requests.items()
        }
        found = {name: future.result() for name, future in futures.items()}
    for kind, request in requests.items():
        # What the reader read with stays in the plan's ids: the stale check reads the same.
        found[kind.name].ids = {**request.read_with, **found[kind.name].ids}
    return found
