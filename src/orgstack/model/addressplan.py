"""The network's address plan: pools of a supernet, VPC ranges allocated in them deterministically
and stably (a recorded range never moves; a new one takes the lowest free aligned block of its
pool, owners in name order), the proof that no two ranges overlap (VPCs, on-premise, peers), and
what room each pool has left. Pure: integers and the standard library's ``ipaddress``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Network, ip_network


@dataclass(frozen=True)
class Claim:
    """A range someone holds: a VPC's (owner: the account), on-premise or a peer's."""

    owner: str
    cidr: IPv4Network
    what: str = "vpc"

    @property
    def span(self) -> tuple[int, int]:
        return int(self.cidr.network_address), int(self.cidr.broadcast_address)


@dataclass(frozen=True)
class Request:
    """An owner's VPC: the pool it comes from, its size, and the range the spec records."""

    owner: str
    pool: str
    prefix: int
    recorded: IPv4Network | None = None


@dataclass
class Allocation:
    """Each owner's range (recorded or new), the new ones, and what could not be done."""

    ranges: dict[str, IPv4Network] = field(default_factory=dict)
    new: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def network(text: str) -> IPv4Network:
    """An IPv4 range in CIDR notation (host bits set are an error, as AWS refuses them)."""
    found = ip_network(text, strict=True)
    if not isinstance(found, IPv4Network):
        raise ValueError(f"{text} is not an IPv4 range")
    return found


def overlaps(claims: Iterable[Claim]) -> list[tuple[Claim, Claim]]:
    """Every pair of claims whose ranges share an address, each pair once, in address order."""
    ordered = sorted(claims, key=lambda c: (c.span[0], -c.span[1], c.owner))
    found: list[tuple[Claim, Claim]] = []
    active: list[Claim] = []
    for claim in ordered:
        start = claim.span[0]
        active = [a for a in active if a.span[1] >= start]
        found += [(a, claim) for a in active]
        active.append(claim)
    return found


def _align_up(address: int, size: int) -> int:
    """The first address at or after ``address`` where a block of ``size`` may start."""
    return -(-address // size) * size


def _free_block(pool: IPv4Network, prefix: int, taken: Sequence[tuple[int, int]]) -> int | None:
    """The lowest start of a free, aligned block of ``/prefix`` in ``pool`` (taken: sorted)."""
    size = 1 << (32 - prefix)
    cursor, end = int(pool.network_address), int(pool.broadcast_address)
    for start, stop in taken:
        candidate = _align_up(cursor, size)
        if candidate + size - 1 < start:
            break
        cursor = max(cursor, stop + 1)
    candidate = _align_up(cursor, size)
    return candidate if candidate + size - 1 <= end else None


def room(pool: IPv4Network, prefix: int, taken: Iterable[tuple[int, int]]) -> int:
    """How many more free, aligned ``/prefix`` blocks ``pool`` holds."""
    size = 1 << (32 - prefix)
    cursor, end = int(pool.network_address), int(pool.broadcast_address)
    count = 0
    for start, stop in sorted(t for t in taken if t[1] >= cursor and t[0] <= end):
        first = _align_up(cursor, size)
        count += max(0, (min(start, end + 1) - first) // size)
        cursor = max(cursor, stop + 1)
    first = _align_up(cursor, size)
    return count + max(0, (end + 1 - first) // size)


def allocate(
    pools: dict[str, IPv4Network], reserved: Sequence[Claim], requests: Sequence[Request]
) -> Allocation:
    """Recorded ranges stay where they are (checked to lie in their pool); every other request
    gets the lowest free aligned block of its size in its pool, owners in name order, clear of
    every recorded, reserved and newly given range. Adding or removing an owner never moves
    another's range."""
    found = Allocation()
    taken = [c.span for c in reserved]
    for request in requests:
        pool = pools.get(request.pool)
        if pool is None:
            found.problems.append(f"{request.owner}: no pool named {request.pool}")
        elif request.recorded is not None:
            if not request.recorded.subnet_of(pool):
                found.problems.append(
                    f"{request.owner}: {request.recorded} is outside its pool "
                    f"{request.pool} ({pool})"
                )
            found.ranges[request.owner] = request.recorded
            taken.append(Claim(request.owner, request.recorded).span)
    for request in sorted(requests, key=lambda r: r.owner):
        pool = pools.get(request.pool)
        if pool is None or request.recorded is not None:
            continue
        start = _free_block(pool, request.prefix, sorted(taken))
        if start is None:
            found.problems.append(
                f"{request.owner}: pool {request.pool} ({pool}) has no free /{request.prefix} left"
            )
            continue
        given = IPv4Network((start, request.prefix))
        found.ranges[request.owner] = given
        found.new.append(request.owner)
        taken.append(Claim(request.owner, given).span)
    return found
