"""One plan in a process of its own (for its peak memory): ``python -m bench.plan_once SPEC
ENDPOINT [RATE|adaptive] [--target ADDRESS]… [--remember FILE]``; prints one JSON line.

``--remember``: start from the rates FILE keeps and keep what this run learned there, as the
CLI does against AWS (``.orgstack/rates.json``)."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

from orgstack import api
from orgstack.aws.context import AwsOptions


def main() -> None:
    spec, endpoint, rate = sys.argv[1], sys.argv[2], sys.argv[3]
    targets = tuple(sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--target")
    remember = next((sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--remember"), None)
    options = (
        # default settings: every family adapts its rate
        AwsOptions(endpoint_url=endpoint, remember=remember)
        if rate == "adaptive"
        else AwsOptions(endpoint_url=endpoint, rate=float(rate), adaptive=False)
    )
    started = time.perf_counter()
    if os.environ.get("ORGSTACK_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        result = profile.runcall(api.make_plan, spec, options, targets=targets)
        profile.dump_stats(os.environ["ORGSTACK_PROFILE"])
    else:
        result = api.make_plan(spec, options, targets=targets)
    wall = time.perf_counter() - started
    result.context.remember_rates()
    stats = result.context.stats
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # A large spec's checks run in a forked child (flows/checks.py): its CPU counts, and its
    # peak memory is added to ours (an upper bound: the two peaks need not coincide).
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall_s": round(wall, 2),
                "calls": stats.total_calls,
                "attempts": sum(stats.attempts.values()),
                "by_operation": dict(sorted(stats.calls.items())),
                "by_family": stats.by_service(),
                "spans": stats.spans(),
                "rates": result.context.limiter.report(),
                "changes": len(result.plan.changes),
                "peak_rss_mib": round((usage.ru_maxrss + child.ru_maxrss) / 1024, 1),
                "cpu_s": round(
                    usage.ru_utime + usage.ru_stime + child.ru_utime + child.ru_stime, 2
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
