"""What the network's executors share: the tags that mark orgstack's resources, a bounded
wait on AWS's asynchronous states, and finding an account's attachment by its owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.network.vocabulary import TAG


def tags(kind: str, **more: str) -> list[dict[str, Any]]:
    return [{"Key": TAG, "Value": kind}, *({"Key": k, "Value": v} for k, v in more.items())]


def until(ctx: ExecContext, what: str, check: Callable[[], bool]) -> None:
    """Poll ``check`` (doubling waits) until it holds; an error after the creation timeout."""
    waited, delay = 0.0, ctx.options.poll_initial_s / 2
    while not check():
        if waited > ctx.options.creation_timeout_s:
            raise ApplyError(f"{what} did not happen in time", "Resume the apply later.")
        ctx.sleep(delay)
        waited += delay
        delay = min(delay * 2, ctx.options.poll_max_s)
