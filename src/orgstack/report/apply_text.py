"""Apply progress and summary: a bar and running changes on a terminal, JSON lines for CI."""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from orgstack.plan.model import Plan


class JsonEvents:
    """One JSON object per line on stdout, flushed: for CI logs and tools."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any]) -> None:
        with self._lock:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
            sys.stdout.flush()

    def close(self) -> None:
        return None


class ProgressView:
    """One bar for the whole apply; a line per change as it finishes; waits made visible."""

    def __init__(self, console: Console, plan: Plan) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.plan = plan
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]apply"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("", total=len(plan.changes))
        self.running: dict[int, str] = {}
        self._lock = threading.Lock()
        self.progress.start()

    def __call__(self, event: dict[str, Any]) -> None:
        with self._lock:
            kind, index = event["event"], event.get("index")
            if kind == "start" and index is not None:
                self.running[index] = event["address"]
            elif kind == "slow":
                self.progress.update(
                    self.task,
                    description=f"AWS is slow: {event['operation']} has run "
                    f"{event['elapsed_s']} s (given up after 180 s, retries included)",
                )
            elif kind == "waiting":
                left = event.get("left_s")
                countdown = f", at most {left / 60:.0f} min left" if left is not None else ""
                self.progress.update(
                    self.task,
                    description=f"waiting for {event['address']} "
                    f"({event['state']}, {event['elapsed_s']:.0f} s{countdown})",
                )
                return
            elif kind in ("done", "failed", "skipped", "waiting") and index is not None:
                self.running.pop(index, None)
                self.progress.advance(self.task)
                change = self.plan.changes[index]
                mark = {
                    "done": "[green]✓",
                    "failed": "[red]✗",
                    "skipped": "[yellow]–",
                    "waiting": "[yellow]…",
                }[kind]
                note = {
                    "failed": f": {event.get('error')}",
                    "skipped": " (skipped)",
                    "waiting": f": waits on AWS: {event.get('reason')}",
                }.get(kind, "")
                self.console.print(
                    f"{mark}[/] {change.action.symbol} {change.address} "
                    f"{change.action.value}{note}",
                    markup=True,
                    highlight=False,
                )
            elif kind == "retry":
                self.console.print(
                    f"[dim]  retrying {event['address']} after {event['code']} "
                    f"in {event['delay_s']} s[/]"
                )
            running = ", ".join(list(self.running.values())[:3])
            self.progress.update(self.task, description=running)

    def close(self) -> None:
        self.progress.stop()


def summary(
    plan: Plan,
    done: dict[int, Any],
    already: set[int],
    failed: dict[int, Any],
    skipped: dict[int, str],
    waiting: dict[int, Any] | None = None,
) -> list[str]:
    """What was done, what failed and why, what waits on AWS, what was skipped, and what to
    do next."""
    waiting = waiting or {}
    counts = Counter(plan.changes[i].action for i in done if i not in already)
    parts = [f"{n} {action.past}" for action, n in counts.items()]
    lines = [
        "Apply "
        + ("complete" if not failed and not skipped and not waiting else "incomplete")
        + ": "
        + (", ".join(parts) or "nothing to do")
        + (f"; {len(already)} already done earlier" if already else "")
        + f"; {len(failed)} failed"
        + (f"; {len(waiting)} waiting on AWS" if waiting else "")
        + f"; {len(skipped)} skipped."
    ]
    for index, error in sorted(failed.items()):
        lines.append(f"  ✗ {plan.changes[index].address}: {error.message}")
        if error.hint:
            lines.append(f"    next: {error.hint}")
    for index, pending in sorted(waiting.items()):
        lines.append(f"  … {plan.changes[index].address}: waits on AWS: {pending.message}")
        if pending.hint:
            lines.append(f"    next: {pending.hint}")
    for index, reason in sorted(skipped.items()):
        lines.append(f"  – {plan.changes[index].address}: skipped, {reason}")
    created = [
        plan.changes[i].address
        for i in done
        if plan.changes[i].action.value == "create"
        and plan.changes[i].address.startswith("account:")
    ]
    if failed:
        lines.append("Next: fix the causes above, then `orgstack apply --resume` (or plan again).")
    elif waiting:
        lines.append(
            "Next: nothing failed; once AWS has finished (minutes), `orgstack apply --resume` "
            "continues what waits and what depends on it (or plan again)."
        )
    elif skipped:
        lines.append("Next: fix the causes above, then `orgstack apply --resume` (or plan again).")
    elif created:
        lines.append(
            f"Next: secure the root users of the {len(created)} new accounts (reset each root "
            "password through its e-mail, add MFA), then `orgstack plan` should show no changes."
        )
    else:
        lines.append("Next: `orgstack plan` should show no changes.")
    return lines
