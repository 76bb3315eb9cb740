"""One token bucket per API family, shared by every thread of a run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Requests per second per API family. AWS publishes no Organizations numbers; users report
#: throttling with about 25 parallel workers, so orgstack stays well below that by default;
#: adaptive retries slow down further when AWS throttles anyway.
DEFAULT_RATES = {"organizations": 20.0, "sts": 20.0, "iam": 10.0}
DEFAULT_RATE = 10.0
#: The sandbox does not throttle; keep a limit so runs stay comparable, but a high one.
SANDBOX_RATE = 200.0


@dataclass
class TokenBucket:
    """Allows ``rate`` acquisitions per second on average, bursts of up to ``burst``."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(init=False)
    _stamp: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._stamp = self.clock()

    def acquire(self) -> float:
        """Take one token, waiting as long as needed; returns the time waited."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self.sleep(wait)
        return wait


class RateLimiter:
    """Token buckets by API family (the service name: organizations, sts, iam…)."""

    def __init__(self, rates: dict[str, float] | None = None, default: float | None = None) -> None:
        """``rates`` override per family; ``default`` replaces the per-family defaults."""
        self._rates = {**(DEFAULT_RATES if default is None else {}), **(rates or {})}
        self._default = DEFAULT_RATE if default is None else default
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, family: str) -> TokenBucket:
        with self._lock:
            if family not in self._buckets:
                rate = self._rates.get(family, self._default)
                self._buckets[family] = TokenBucket(rate, burst=max(1.0, rate))
            return self._buckets[family]

    def acquire(self, family: str) -> float:
        return self.bucket(family).acquire()
