"""One plan in a process of its own (for its peak memory): ``python -m bench.plan_once``."""

from __future__ import annotations

import json
import resource
import sys
import time

from orgstack import api
from orgstack.aws.context import AwsOptions


def main() -> None:
    spec, endpoint, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
    options = AwsOptions(
        endpoint_url=endpoint, rates={"organizations": rate, "sts": rate}, max_workers=8
    )
    started = time.perf_counter()
    result = api.make_plan(spec, options)
    wall = time.perf_counter() - started
    print(
        json.dumps(
            {
                "wall_s": round(wall, 2),
                "calls": result.context.stats.total_calls,
                "attempts": sum(result.context.stats.attempts.values()),
                "by_operation": dict(sorted(result.context.stats.calls.items())),
                "changes": len(result.plan.changes),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
