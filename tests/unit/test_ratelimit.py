"""aws/ratelimit.py and aws/learned.py: the adaptive rate per API family, and what a run
keeps of it for the next."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from orgstack.aws import learned
from orgstack.aws.ratelimit import FamilyRate, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def family(
    rate: float, ceiling: float = 1000.0, *, adaptive: bool = True
) -> tuple[FamilyRate, FakeClock]:
    clock = FakeClock()
    return FamilyRate(rate, ceiling, adaptive, clock=clock, sleep=clock.sleep), clock


def test_a_fixed_family_allows_one_second_of_burst_then_spaces_calls_at_the_rate() -> None:
    bucket, clock = family(4.0, adaptive=False)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits == [0.0, 0.0, 0.0, 0.0, 0.25, 0.25]
    for _ in range(50):
        bucket.success()
    assert bucket.rate == 4.0  # not adapted
    clock.now += 10
    assert bucket.acquire() == 0.0  # refilled, capped at the burst


def test_slow_start_adds_two_per_success_up_to_twice_the_rate_sent_and_the_ceiling() -> None:
    bucket, clock = family(20.0, ceiling=30.0)
    for _ in range(10):
        bucket.acquire()
        clock.now += 0.05  # 20 requests/s sent
    bucket.success()
    assert bucket.rate == 22.0
    for _ in range(10):
        bucket.success()
    assert bucket.rate == 30.0  # the ceiling
    assert bucket.peak == 30.0


def test_a_family_whose_callers_are_the_bottleneck_does_not_grow_a_rate_it_never_uses() -> None:
    bucket, clock = family(20.0)
    for _ in range(10):
        bucket.acquire()
        clock.now += 0.125  # 8 requests/s sent
    for _ in range(30):
        bucket.success()
    assert bucket.rate == 20.0  # the start: twice 8/s is below it


def test_a_throttle_cuts_the_rate_sent_by_30_percent_once_per_gap_then_cubic_recovers_it() -> None:
    bucket, clock = family(50.0)
    for _ in range(50):
        bucket.acquire()
        clock.now += 0.02  # 50 requests/s sent
    bucket.throttled()
    assert bucket.rate == pytest.approx(35.0, rel=0.03)
    assert not bucket.slow_start
    cut = bucket.rate
    bucket.throttled()  # in flight when the first came back: no second cut
    assert (bucket.rate, bucket.throttles) == (cut, 2)
    w_max = cut / 0.7  # the rate sent when throttled
    k = (w_max * 0.3 / 0.4) ** (1 / 3)  # about 3.35 s back to it
    clock.now += k / 2
    bucket.success()
    assert bucket.rate == pytest.approx(w_max - 0.4 * (k / 2) ** 3)  # concave: most of the way
    assert cut < bucket.rate < w_max
    clock.now += k / 2
    bucket.success()
    assert bucket.rate == pytest.approx(w_max)
    for _ in range(60):  # keep sending at 50/s, so twice the rate sent does not bound it
        bucket.acquire()
        clock.now += 0.02
    clock.now = bucket._decreased + k + 1.0
    bucket.success()
    assert bucket.rate == pytest.approx(w_max + 0.4)  # probing above it
    clock.now += 0.3
    bucket.throttled()
    assert bucket.rate < 50.4 * 0.7 + 1e-9


def test_a_retry_after_hint_pauses_the_family_that_long() -> None:
    bucket, _ = family(10.0, adaptive=False)
    bucket.throttled(retry_after=2.0)
    assert bucket.acquire() == pytest.approx(2.1)  # the pause, then the next token's 0.1 s
    assert bucket.throttles == 1


def test_families_start_per_service_with_ceilings_from_rate_and_per_service() -> None:
    limiter = RateLimiter({"organizations": 5.0}, ceiling=15.0, start={"iam": 12.0})
    assert limiter.family("organizations") is limiter.family("organizations")
    starts = {
        name: (limiter.family(name).rate, limiter.family(name).ceiling)
        for name in ("organizations", "sts", "iam", "iam@111122223333", "ec2")
    }
    assert starts == {
        "organizations": (5.0, 5.0),
        "sts": (15.0, 15.0),
        "iam": (12.0, 15.0),
        "iam@111122223333": (12.0, 15.0),
        "ec2": (10.0, 15.0),
    }
    assert RateLimiter().family("organizations").rate == 20.0
    fixed = RateLimiter({"iam": 50.0}, fixed=200.0)
    assert (fixed.family("organizations").rate, fixed.family("iam@1").rate) == (200.0, 50.0)
    assert not fixed.family("sts").adaptive


def test_what_was_learned_and_the_report_per_service() -> None:
    limiter = RateLimiter()
    limiter.family("organizations")
    for account, rate in (("1", 14.0), ("2", 30.0)):
        found = limiter.family(f"iam@{account}")
        found.rate = found.peak = rate
    throttled = limiter.family("sts")
    throttled.throttled()
    assert limiter.learned() == {"iam": 14.0, "sts": 14.0}
    assert limiter.report() == [
        "rate iam over 2 accounts: started 10/s, reached 14–30/s, ended 14/s, 0 throttled",
        "rate organizations: started 20/s, reached 20/s, ended 20/s, 0 throttled",
        "rate sts: started 20/s, reached 20/s, ended 14/s, 1 throttled",
    ]


def test_learned_rates_are_kept_per_profile_and_the_next_run_starts_at_90_percent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    path = str(tmp_path / ".orgstack" / "rates.json")
    learned.keep(path, "prod", {"organizations": 40.0})
    learned.keep(path, "prod", {"sts": 30.0})
    learned.keep(path, None, {"organizations": 10.0})
    assert learned.recall(path, "prod") == {"organizations": 36.0, "sts": 27.0}
    assert learned.recall(path, None) == {"organizations": 9.0}
    assert learned.recall(path, "other") == {}
    assert learned.recall(None, "prod") == {}
    data = json.loads(Path(path).read_text())
    data["prod@aws"]["at"] = time.time() - 8 * 86400
    Path(path).write_text(json.dumps(data))
    assert learned.recall(path, "prod") == {}  # older than a week: start safe
    Path(path).write_text("{not json")
    assert learned.recall(path, "prod") == {}
    learned.keep(path, "prod", {"organizations": 40.0})  # a damaged file is replaced
    assert learned.recall(path, "prod") == {"organizations": 36.0}
