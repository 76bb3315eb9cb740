"""An adaptive rate per API family, shared by every thread of a run.

AWS publishes no request rate for Organizations, IAM or STS, and what it allows differs by
account and over time; a fixed rate either wastes time or gets throttled. Each family
(``organizations``, ``sts``, ``iam``; a member account's service as ``iam@<account>``, since
AWS throttles per account) starts at a safe rate and:

- **slow start**: adds ``SLOW_START_STEP`` requests/s per successful call until the first
  throttle (the rate doubles about every 0.35 s while calls succeed);
- **multiplicative decrease**: on a throttle, the rate drops to ``BETA`` × the rate actually
  sent (at most once per ``DECREASE_GAP_S``: the calls already in flight were sent at the old
  rate), and a retry-after hint pauses the family that long;
- **CUBIC recovery** (RFC 8312, in requests/s): back to the rate that was throttled within
  K = ∛(W·(1−β)/C) seconds, concave below it, then probing above it.

The rate never exceeds the ceiling (``--rate``, else ``CEILING``) nor twice the rate actually
sent (a family whose callers are the bottleneck does not grow a rate it never uses).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: Where each family starts (requests/s): users report Organizations throttling with about 25
#: parallel workers; IAM is the slowest control plane.
START_RATES = {"organizations": 20.0, "sts": 20.0, "iam": 10.0}
START_RATE = 10.0
#: Without --rate, a bound far above what any family allows (throttles find the real one).
CEILING = 1000.0
FLOOR = 0.5
SLOW_START_STEP = 2.0
BETA = 0.7
CUBIC_C = 0.4
DECREASE_GAP_S = 0.2
WINDOW_S = 1.0
#: The sandbox does not throttle: a fixed, high rate keeps its runs fast and comparable.
SANDBOX_RATE = 200.0


def service_of(family: str) -> str:
    """``iam@111122223333`` → ``iam``."""
    return family.split("@", 1)[0]


@dataclass
class FamilyRate:
    """One family's token bucket whose rate adapts to successes and throttles."""

    rate: float
    ceiling: float
    adaptive: bool = True
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    start: float = field(init=False)
    peak: float = field(init=False)
    throttles: int = field(init=False, default=0)
    successes: int = field(init=False, default=0)
    slow_start: bool = field(init=False, default=True)
    _w_max: float = field(init=False, default=0.0)
    _k: float = field(init=False, default=0.0)
    _decreased: float = field(init=False, default=float("-inf"))
    _tokens: float = field(init=False)
    _stamp: float = field(init=False)
    _sent: deque[float] = field(init=False, default_factory=deque)
    _first: float | None = field(init=False, default=None)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.rate = min(self.rate, self.ceiling)
        self.start = self.peak = self.rate
        self._tokens = max(1.0, self.rate)
        self._stamp = self.clock()

    def acquire(self) -> float:
        """Take one token, waiting as long as needed; returns the time waited."""
        with self._lock:
            now = self.clock()
            self._refill(now)
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
            self._sent.append(now + wait)
            while self._sent[0] < now - WINDOW_S:  # only the last second is kept
                self._sent.popleft()
            if self._first is None:
                self._first = now
        if wait > 0:
            self.sleep(wait)
        return wait

    def success(self) -> None:
        with self._lock:
            self.successes += 1
            if not self.adaptive:
                return
            now = self.clock()
            if self.slow_start:
                target = self.rate + SLOW_START_STEP
            else:
                target = CUBIC_C * (now - self._decreased - self._k) ** 3 + self._w_max
            cap = max(self.start, 2 * self._measured(now))
            new = min(self.ceiling, cap, target)
            if new > self.rate:
                self._refill(now)
                self.rate = new
                self.peak = max(self.peak, new)

    def throttled(self, retry_after: float | None = None) -> None:
        with self._lock:
            self.throttles += 1
            now = self.clock()
            self._refill(now)
            if retry_after:
                self._tokens = min(self._tokens, -retry_after * self.rate)
            if not self.adaptive or now - self._decreased < DECREASE_GAP_S:
                return
            measured = self._measured(now)
            self._w_max = min(self.rate, measured) if measured > 0 else self.rate
            self.rate = max(FLOOR, self._w_max * BETA)
            self._k = (self._w_max * (1 - BETA) / CUBIC_C) ** (1 / 3)
            self._decreased = now
            self.slow_start = False
            self._tokens = min(self._tokens, 0.0)

    def _refill(self, now: float) -> None:
        burst = max(1.0, self.rate)
        self._tokens = min(burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def _measured(self, now: float) -> float:
        """Requests/s sent over the last ``WINDOW_S`` (or since the first, when sooner)."""
        while self._sent and self._sent[0] < now - WINDOW_S:
            self._sent.popleft()
        if self._first is None:
            return 0.0
        span = max(0.05, min(WINDOW_S, now - self._first))
        return len(self._sent) / span


class RateLimiter:
    """Adaptive rates by API family: the service name, or ``service@account`` in a member
    account."""

    def __init__(
        self,
        ceilings: Mapping[str, float] | None = None,
        *,
        ceiling: float | None = None,
        start: Mapping[str, float] | None = None,
        fixed: float | None = None,
    ) -> None:
        """``ceilings``: per service (``--rate`` is ``ceiling``, for every family); ``start``:
        where families begin (what an earlier run learned); ``fixed``: one rate, not adapted
        (the sandbox)."""
        self._ceilings = dict(ceilings or {})
        self._ceiling = ceiling
        self._start = dict(start or {})
        self._fixed = fixed
        self._families: dict[str, FamilyRate] = {}
        self._lock = threading.Lock()

    def family(self, name: str) -> FamilyRate:
        with self._lock:
            found = self._families.get(name)
            if found is None:
                service = service_of(name)
                ceiling = min(
                    self._ceilings.get(service, CEILING),
                    self._ceiling if self._ceiling is not None else CEILING,
                )
                if self._fixed is not None:
                    ceiling = min(ceiling, self._fixed)
                    found = FamilyRate(ceiling, ceiling, adaptive=False)
                else:
                    begin = self._start.get(service, START_RATES.get(service, START_RATE))
                    found = FamilyRate(begin, ceiling)
                self._families[name] = found
            return found

    def families(self) -> dict[str, FamilyRate]:
        with self._lock:
            return dict(self._families)

    def learned(self) -> dict[str, float]:
        """Per service, where the next run may start: the rate each family ended at, the
        lowest of a service's member-account families (only families that got far enough to
        tell: a throttle, or a rate above where they started)."""
        found: dict[str, float] = {}
        for name, rate in self.families().items():
            if rate.throttles == 0 and rate.peak <= rate.start:
                continue
            service = service_of(name)
            found[service] = min(found.get(service, rate.rate), rate.rate)
        return {service: round(rate, 1) for service, rate in sorted(found.items())}

    def report(self) -> list[str]:
        """Per service: the rate reached (the range over member accounts) and throttles."""
        by_service: dict[str, list[FamilyRate]] = {}
        for name, rate in sorted(self.families().items()):
            by_service.setdefault(service_of(name), []).append(rate)
        lines = []
        for service, rates in sorted(by_service.items()):
            peaks = sorted(r.peak for r in rates)
            reached = (
                f"{peaks[0]:.0f}/s"
                if peaks[0] == peaks[-1] or len(rates) == 1
                else f"{peaks[0]:.0f}–{peaks[-1]:.0f}/s"
            )
            where = "" if len(rates) == 1 else f" over {len(rates)} accounts"
            throttled = sum(r.throttles for r in rates)
            lines.append(
                f"rate {service}{where}: started {rates[0].start:.0f}/s, reached {reached}, "
                f"ended {min(r.rate for r in rates):.0f}/s, {throttled} throttled"
            )
        return lines
