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
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, operation: str) -> None:
        with self._lock:
            self.calls[operation] += 1

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
