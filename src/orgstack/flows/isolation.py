"""``orgstack isolation``: every path by which a principal or a network of one domain (a stage,
build, shared services, …) reaches another's accounts, on the live organization or, offline,
what the spec itself opens (its segments), judged against ``isolation.allow``."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from orgstack.aws.context import AwsContext, AwsOptions
from orgstack.errors import UsageError
from orgstack.model import OrgModel, paths
from orgstack.model.isolation import (
    Accounts,
    Allowance,
    Path,
    matrix,
    peering_paths,
    policy_paths,
    segment_paths,
    share_paths,
    table_paths,
)
from orgstack.spec.loader import load_spec


@dataclass(frozen=True)
class Isolation:
    """What the check found: the paths no allowance covers, the allowed ones with why, the
    stage matrix of the found ones, and what was read."""

    found: list[Path]
    allowed: list[tuple[Path, str]]
    stages: list[str]
    offline: bool
    read: dict[str, int] = field(default_factory=dict)
    context: AwsContext | None = None

    @property
    def matrix(self) -> dict[str, dict[str, int]]:
        return matrix(self.found, self.stages)


def allowances(model: OrgModel) -> list[Allowance]:
    """The spec's ``isolation.allow``, in order."""
    section = model.sections.get("isolation") or {}
    return [
        Allowance(a["from"], a["to"], a["kind"], a["resource"], a["reason"])
        for a in section.get("allow", [])
    ]


def judge(found: Iterable[Path], model: OrgModel) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(the paths no allowance covers, the allowed ones with the first allowance's reason)."""
    rules = allowances(model)
    left: list[Path] = []
    allowed: list[tuple[Path, str]] = []
    for path in sorted(set(found), key=_order):
        rule = next((r for r in rules if r.allows(path)), None)
        if rule is None:
            left.append(path)
        else:
            allowed.append((path, rule.reason))
    return left, allowed


def _order(path: Path) -> tuple[str, ...]:
    return (
        path.source_domain,
        path.target_domain,
        path.kind,
        path.source,
        path.target,
        path.resource,
    )


def accounts_of(model: OrgModel) -> Accounts:
    """The analysis's view of the organization: name → id and domain, the stages."""
    return Accounts(
        ids={a.name: a.id or f"{{account:{a.name}}}" for a in model.accounts},
        domains={a.name: a.stage or a.purpose for a in model.accounts},
        stages=frozenset(a.stage for a in model.accounts if a.stage),
        org_id=model.organization.id,
    )


def offline(spec_path: str | FilePath | None) -> Isolation:
    """What the spec itself opens (its network segments), judged by its allowances."""
    model = load_spec(spec_path)
    org = accounts_of(model)
    network = model.sections.get("network")
    found = segment_paths(network, org) if network else []
    left, allowed = judge(found, model)
    return Isolation(left, allowed, sorted(org.stages), True, {"segments": len(found)})


def _ou_accounts(model: OrgModel) -> dict[str, list[str]]:
    """OU id → the names of the accounts in it or below it (a RAM share with an OU)."""
    found: dict[str, list[str]] = {}
    for ou in model.ous:
        if ou.id:
            found[ou.id] = sorted(a.name for a in model.accounts if paths.within(a.ou, ou.path))
    return found


def check(
    spec_path: str | FilePath | None, options: AwsOptions, target: str | None = None
) -> Isolation:
    """The live organization's paths between domains (``target``: ``account:NAME``, only
    what is read in that account: the paths into it, and out of it by its own routes),
    judged by the spec's allowances."""
    from orgstack.aws.members import AccountClients
    from orgstack.aws.reading import ReadContext
    from orgstack.flows.auditing import audit_model
    from orgstack.live.crossings import read_crossings
    from orgstack.live.policies import read_policies

    # The organization with the spec's stages; of the kinds, only the network's tables.
    model, context = audit_model(spec_path, options, kinds=frozenset({"network"}))
    org = accounts_of(model)
    active = {a.name: a.id for a in model.accounts if a.id and a.status in (None, "ACTIVE")}
    if target is not None:
        name = target.removeprefix("account:")
        if not target.startswith("account:") or name not in active:
            raise UsageError(
                f"--target {target}: no active account of that name",
                "Give --target account:NAME with a name of the organization.",
            )
        active = {name: active[name]}
    ctx = ReadContext(
        context,
        AccountClients(context, context.caller_account(), model.organization.access_role),
    )
    regions = list(model.organization.allowed_regions) or [options.region or "us-east-1"]
    with ThreadPoolExecutor(max_workers=2) as both:  # the two passes overlap
        reading = both.submit(read_policies, ctx, active, regions)
        crossing = both.submit(read_crossings, ctx, active, regions)
        policies, (shares, peerings) = reading.result(), crossing.result()
    tables = [v for a, v in (model.live_resources or {}).items() if "/table/" in a]
    found = [
        p
        for policy in policies
        for p in policy_paths(policy.kind, policy.account, policy.resource, policy.document,
                              org, policy.fix)
    ]  # fmt: skip
    ous = _ou_accounts(model)
    found += [p for s in shares for p in share_paths(s.owner, s.arn, s.resources, s.principals,
                                                      org, ous)]  # fmt: skip
    found += [p for w in peerings for p in peering_paths(w.account, w.peerings, w.routed, org)]
    found += table_paths(tables, org)
    if target is not None:
        found = [p for p in found if target[len("account:") :] in (p.source, p.target)]
    left, allowed = judge(found, model)
    read = {"policies": len(policies), "shares": len(shares),
            "peerings": sum(len(w.peerings) for w in peerings), "tables": len(tables)}  # fmt: skip
    return Isolation(left, allowed, sorted(org.stages), False, read, context)
