"""Counts of AWS calls per operation (logical calls and HTTP attempts) and wall time."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CallStats:
    """Thread-safe counters filled by botocore event hooks."""

    calls: Counter[str] = field(default_factory=Counter)
    attempts: Counter[str] = field(default_factory=Counter)
    waited: float = 0.0
    started: float = field(default_factory=time.monotonic)
    #: Per service: when its first call started and its last one did, since ``started``.
    first: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, operation: str) -> None:
        service = operation.split(".", 1)[0]
        at = time.monotonic() - self.started
        with self._lock:
            self.calls[operation] += 1
            self.first.setdefault(service, at)
            self.last[service] = at

    def by_service(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        with self._lock:
            for operation, count in self.calls.items():
                found[operation.split(".", 1)[0]] += count
        return dict(sorted(found.items()))

    def spans(self) -> dict[str, list[float]]:
        """Per service, [first call, last call] in seconds since the start (overlap shows)."""
        with self._lock:
            return {
                s: [round(self.first[s], 2), round(self.last[s], 2)] for s in sorted(self.first)
            }

    def attempt(self, operation: str, waited: float) -> None:
        with self._lock:
            self.attempts[operation] += 1
            self.waited += waited

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def report(self) -> str:
        """One line per operation, then the totals and the wall time."""
        lines = [
            f"{op:<55} {self.calls[op]:>6} calls {self.attempts[op]:>6} attempts"
            for op in sorted(self.calls)
        ]
        elapsed = time.monotonic() - self.started
        lines.append(
            f"total: {self.total_calls} calls, {sum(self.attempts.values())} HTTP attempts, "
            f"{elapsed:.2f} s wall, {self.waited:.2f} s waiting for the rate limiter"
        )
        return "\n".join(lines)
