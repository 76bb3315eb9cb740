"""What the network's executors share: the tags that mark orgstack's resources, a bounded
wait on AWS's asynchronous states, and finding an account's attachment by its owner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orgstack.apply.context import ApplyError, AwsPendingError, ExecContext
from orgstack.kinds.network.vocabulary import TAG


def tags(kind: str, **more: str) -> list[dict[str, Any]]:
    return [{"Key": TAG, "Value": kind}, *({"Key": k, "Value": v} for k, v in more.items())]


def until(
    ctx: ExecContext, what: str, check: Callable[[], bool], pending: str | None = None
) -> None:
    """Poll ``check`` (doubling waits) until it holds; an error after the creation timeout,
    or, for a state AWS finishes in its own time (``pending``: why it waits), the change
    left waiting after ``pending_after_s``."""
    waited, delay = 0.0, ctx.options.poll_initial_s / 2
    limit = ctx.options.pending_after_s if pending else ctx.options.creation_timeout_s
    while not check():
        if waited > limit and pending:
            raise AwsPendingError(
                pending,
                "AWS finishes this on its own (usually within minutes): run `orgstack apply "
                "--resume` later, or plan again.",
            )
        if waited > limit:
            raise ApplyError(f"{what} did not happen in time", "Resume the apply later.")
        ctx.sleep(delay)
        waited += delay
        delay = min(delay * 2, ctx.options.poll_max_s)
