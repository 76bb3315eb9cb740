"""The network's segments as a graph: which segment's route table reaches which, and the proof of a
``no_path`` invariant with its counter-example. A Transit Gateway does not route through a
segment (a packet is looked up once, in its attachment's table), so a path passes through another
segment only when that segment forwards (an on-premise network, an inspection VPC). Pure."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence


def path(
    reaches: Mapping[str, Iterable[str]],
    start: str,
    goal: str,
    forwarding: Collection[str] = (),
) -> list[str] | None:
    """The shortest hop chain from ``start`` to ``goal`` (None: there is none): each hop a
    segment reaches, every segment in between one that forwards. Neighbours are tried in name
    order, so the chain shown is always the same."""
    if start == goal:
        return [start]
    came: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here != start and here not in forwarding:
            continue  # reached, but a packet does not go on from here
        for there in sorted(set(reaches.get(here, ()))):
            if there in came:
                continue
            came[there] = here
            if there == goal:
                chain = [goal]
                while chain[-1] != start:
                    chain.append(came[chain[-1]])
                return chain[::-1]
            queue.append(there)
    return None


def broken(
    reaches: Mapping[str, Iterable[str]],
    invariants: Sequence[tuple[str, str]],
    forwarding: Collection[str] = (),
) -> list[str]:
    """Each ``no_path`` invariant (from, to) that the segments break, with the path that
    breaks it. One direction is enough: a packet that arrives is a breach even when no answer
    can come back."""
    found = []
    for start, goal in invariants:
        chain = path(reaches, start, goal, forwarding)
        if chain is not None:
            found.append(f"no_path from {start} to {goal} is broken: {' → '.join(chain)}")
    return found
