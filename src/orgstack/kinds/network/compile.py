"""Compile ``network:``: the network account and Regions, the pools and segments checked, the
member accounts resolved, every VPC range allocated (recorded ranges stay), the proof that no
two ranges overlap and that every invariant holds, and each pool's room."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from orgstack.errors import Problem
from orgstack.kinds.network import compile_links as links
from orgstack.kinds.network.schema import ONPREM, SECTION, NetworkSpec
from orgstack.model.addressplan import Claim, Request, allocate, network, overlaps, room
from orgstack.model.segments import broken
from orgstack.spec.messages import did_you_mean
from orgstack.spec.selectors import select
from orgstack.spec.yamlread import Located

#: The default members: (segment, what selects its accounts).


def _cidr(
    text: str, where: tuple[str | int, ...], located: Located, out: list[Problem]
) -> IPv4Network | None:
    try:
        return network(text)
    except ValueError as exc:
        out.append(located.value_pos(where).problem(f"{'.'.join(map(str, where))}: {exc}"))
        return None


def _regions(section: NetworkSpec, model: Any, located: Located, out: list[Problem]) -> list[str]:
    allowed = list(model.organization.allowed_regions)
    if section.regions is None:
        return allowed[:1]
    for index, region in enumerate(section.regions):
        pos = located.value_pos((SECTION, "regions", index))
        if section.regions.index(region) != index:
            out.append(pos.problem(f"{SECTION}.regions: {region} is listed twice"))
        elif region not in allowed:
            out.append(
                pos.problem(
                    f"{SECTION}.regions: {region} is not an allowed Region ({', '.join(allowed)}); "
                    "add it to organization.allowed_regions first"
                )
            )
    return list(section.regions)


def _pools(section: NetworkSpec, located: Located, out: list[Problem]) -> dict[str, IPv4Network]:
    pools: dict[str, IPv4Network] = {}
    for name, text in section.pools.items():
        found = _cidr(text, (SECTION, "pools", name), located, out)
        if found is not None:
            pools[name] = found
        if name not in section.segments:
            out.append(
                located.key_pos((SECTION, "pools", name)).problem(
                    f"{SECTION}.pools.{name}: no segment {name}; add it to {SECTION}.segments"
                )
            )
    supernet = (
        _cidr(section.supernet, (SECTION, "supernet"), located, out) if section.supernet else None
    )
    for name, pool in pools.items():
        if supernet is not None and not pool.subnet_of(supernet):
            out.append(
                located.value_pos((SECTION, "pools", name)).problem(
                    f"{SECTION}.pools.{name}: {pool} is outside the supernet {supernet}"
                )
            )
    for one, other in overlaps(Claim(n, p, "pool") for n, p in pools.items()):
        out.append(
            located.value_pos((SECTION, "pools", other.owner)).problem(
                f"{SECTION}.pools: {other.owner} ({other.cidr}) overlaps {one.owner} ({one.cidr}); "
                "each segment's pool must be its own"
            )
        )
    return pools


def _segments(section: NetworkSpec, located: Located, out: list[Problem]) -> None:
    names = list(section.segments)
    for name, segment in section.segments.items():
        for index, there in enumerate(segment.reaches):
            if segment.reaches.index(there) != index:
                out.append(
                    located.value_pos((SECTION, "segments", name, "reaches", index)).problem(
                        f"{SECTION}.segments.{name}.reaches: {there} is listed twice"
                    )
                )
            elif there not in section.segments:
                out.append(
                    located.value_pos((SECTION, "segments", name, "reaches", index)).problem(
                        f"{SECTION}.segments.{name}.reaches: no segment '{there}'"
                        f"{did_you_mean(there, names)}"
                    )
                )
            elif there == name:
                out.append(
                    located.value_pos((SECTION, "segments", name, "reaches", index)).problem(
                        f"{SECTION}.segments.{name}.reaches: a segment reaches itself already "
                        "(its own attachments propagate into its table)"
                    )
                )
        if name not in section.pools and name != ONPREM:
            out.append(
                located.key_pos((SECTION, "segments", name)).problem(
                    f"{SECTION}.segments.{name}: no pool; add {SECTION}.pools.{name} "
                    f"(only {ONPREM} holds no VPCs)"
                )
            )
    if (ONPREM in section.segments) != (section.onprem is not None):
        where = (SECTION, "onprem") if section.onprem is not None else (SECTION, "segments", ONPREM)
        out.append(
            located.key_pos(where).problem(
                f"{SECTION}: segment {ONPREM} and {SECTION}.onprem go together (the segment "
                "holds the on-premise link)"
            )
        )


def _members(
    section: NetworkSpec, model: Any, located: Located, out: list[Problem]
) -> dict[str, tuple[str, int]]:
    """Account → (segment, VPC prefix)."""
    found: dict[str, tuple[str, int]] = {}
    if section.members is None:
        for account in model.accounts:
            segment = (
                "prod"
                if account.stage == "prod"
                else "nonprod"
                if account.stage
                else "shared"
                if account.purpose == "shared-services"
                else None
            )
            if segment in section.pools:
                found[account.name] = (segment, section.vpc.prefix)
        return found
    ou_paths = [o.path for o in model.ous]
    for index, member in enumerate(section.members):
        where = (SECTION, "members", index)
        if member.segment not in section.pools:
            out.append(
                located.value_pos((*where, "segment")).problem(
                    f"{SECTION}.members[{index}].segment: no pool '{member.segment}'"
                    f"{did_you_mean(member.segment, list(section.pools))}"
                )
            )
        chosen, text = select(
            member.accounts,
            list(model.accounts),
            ou_paths,
            (*where, "accounts"),
            f"{SECTION}.members[{index}]",
            located,
            out,
        )
        for name in chosen:
            if name in found:
                out.append(
                    located.value_pos((*where, "accounts")).problem(
                        f"{SECTION}.members[{index}]: {name} ({text}) has a VPC in "
                        f"{found[name][0]} already; an account sits in one segment"
                    )
                )
            else:
                found[name] = (member.segment, member.prefix or section.vpc.prefix)
    return found


def _claims(
    section: NetworkSpec, located: Located, out: list[Problem]
) -> tuple[list[Claim], dict[str, tuple[str | int, ...]]]:
    """The reserved and on-premise ranges, and where each is written."""
    claims: list[Claim] = []
    where: dict[str, tuple[str | int, ...]] = {}
    path: tuple[str | int, ...]
    for name, text in section.reserved.items():
        path = (SECTION, "reserved", name)
        if (found := _cidr(text, path, located, out)) is not None:
            claims.append(Claim(f"reserved {name}", found, "reserved"))
            where[f"reserved {name}"] = path
    prefixes = section.onprem.prefixes if section.onprem else []
    for index, text in enumerate(prefixes):
        path = (SECTION, "onprem", "prefixes", index)
        if prefixes.index(text) != index:
            out.append(
                located.value_pos(path).problem(
                    f"{SECTION}.onprem.prefixes: {text} is listed twice"
                )
            )
        elif (found := _cidr(text, path, located, out)) is not None:
            claims.append(Claim(f"on-premise {found}", found, "onprem"))
            where[f"on-premise {found}"] = path
    return claims, where


def _allocate(
    section: NetworkSpec,
    members: dict[str, tuple[str, int]],
    regions: list[str],
    pools: dict[str, IPv4Network],
    located: Located,
    out: list[Problem],
) -> tuple[dict[str, dict[str, str]], list[str], dict[str, int]]:
    """(account → Region → range, the owners given a range now, pool → room in /prefix)."""
    reserved, where = _claims(section, located, out)
    requests: list[Request] = []
    for account, by_region in section.ranges.items():
        for region, text in by_region.items():
            path = (SECTION, "ranges", account, region)
            recorded = _cidr(text, path, located, out)
            if recorded is None:
                continue
            where[f"{account}/{region}"] = path
            if account in members and region in regions:
                segment, prefix = members[account]
                requests.append(Request(f"{account}/{region}", segment, prefix, recorded))
            else:  # an account that left (or a Region dropped): its VPC may still be there
                reserved.append(
                    Claim(f"{account}/{region} (recorded, no longer a member)", recorded)
                )
    recorded_owners = {r.owner for r in requests}
    for account, (segment, prefix) in members.items():
        for region in regions:
            if f"{account}/{region}" not in recorded_owners:
                requests.append(Request(f"{account}/{region}", segment, prefix))
    found = allocate(pools, reserved, requests)
    for problem in found.problems:
        owner = problem.split(":", 1)[0]
        segment = members.get(owner.rsplit("/", 1)[0], ("", 0))[0]
        at = where.get(owner) or (SECTION, "pools", segment)
        out.append(located.value_pos(at).problem(f"{SECTION}: {problem}"))
    claims = reserved + [Claim(o, c) for o, c in found.ranges.items()]
    for one, other in overlaps(claims):
        if one.what != "vpc" and other.what != "vpc":
            continue  # two reserved ranges may overlap: neither is a VPC's
        at = where.get(other.owner) or where.get(one.owner) or (SECTION,)
        out.append(
            located.value_pos(at).problem(
                f"{SECTION}: {other.owner} ({other.cidr}) overlaps {one.owner} ({one.cidr}); "
                "no two ranges may share an address"
            )
        )
    ranges: dict[str, dict[str, str]] = {}
    for owner, cidr in sorted(found.ranges.items()):
        account, region = owner.rsplit("/", 1)
        ranges.setdefault(account, {})[region] = str(cidr)
    taken = [c.span for c in claims]
    spare = {
        name: room(pool, _members_prefix(members, name, section), taken)
        for name, pool in pools.items()
    }
    return ranges, found.new, spare


def _invariants(section: NetworkSpec, located: Located, out: list[Problem]) -> list[dict[str, str]]:
    reaches = {name: list(s.reaches) for name, s in section.segments.items()}
    forwarding = {name for name, s in section.segments.items() if s.forwards} | {ONPREM}
    found = []
    for index, invariant in enumerate(section.invariants):
        rule = invariant.no_path
        path = (SECTION, "invariants", index, "no_path")
        unknown = [s for s in (rule.from_, rule.to) if s not in section.segments]
        if unknown:
            out.append(
                located.value_pos(path).problem(
                    f"{SECTION}.invariants[{index}]: no segment '{unknown[0]}'"
                    f"{did_you_mean(unknown[0], list(section.segments))}"
                )
            )
            continue
        for message in broken(reaches, [(rule.from_, rule.to)], forwarding):
            out.append(located.value_pos(path).problem(f"{SECTION}.invariants[{index}]: {message}"))
        found.append({"from": rule.from_, "to": rule.to})
    return found


def compile(
    section: NetworkSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """The section with the account, Regions, members and every range resolved, or None."""
    from orgstack.spec.purpose import section_account

    before = len(problems)
    account = section_account(SECTION, section.account, "network", model, located, problems)
    regions = _regions(section, model, located, problems)
    pools = _pools(section, located, problems)
    _segments(section, located, problems)
    members = _members(section, model, located, problems)
    invariants = _invariants(section, located, problems)
    links.link(section, regions, located, problems)
    share_with = links.share_with(section, model, members, located, problems)
    if account is None or len(problems) > before:
        return None
    found = model.account(account)
    if found is not None and found.purpose == "management":
        problems.append(
            located.value_pos((SECTION, "account")).problem(
                f"{SECTION}.account: {account} is the management account; the Transit Gateway "
                "belongs in a member account only network specialists change"
            )
        )
        return None
    ranges, new, spare = _allocate(section, members, regions, pools, located, problems)
    if len(problems) > before:
        return None
    return {
        "account": account,
        "regions": regions,
        "asn": section.asn,
        "pools": {name: str(pool) for name, pool in pools.items()},
        "segments": {
            name: {"reaches": sorted(s.reaches), "forwards": s.forwards or name == ONPREM}
            for name, s in section.segments.items()
        },
        "members": {name: segment for name, (segment, _) in sorted(members.items())},
        "ranges": ranges,
        "new_ranges": sorted(new),
        "room": {
            name: {"prefix": _members_prefix(members, name, section), "count": count}
            for name, count in spare.items()
        },
        "share_with": share_with,
        "vpc": section.vpc.model_dump(),
        "onprem": section.onprem.model_dump() if section.onprem else None,
        "invariants": invariants,
    }


def _members_prefix(members: dict[str, tuple[str, int]], segment: str, section: NetworkSpec) -> int:
    """The VPC size a pool's room is counted in: its members' (the template's when none)."""
    return next((p for s, p in members.values() if s == segment), section.vpc.prefix)
