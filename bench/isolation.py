"""`orgstack isolation` at scale (``make bench``): an imported organization of 200 accounts, a
leak planted from one stage into another; the live check through the throttling proxy, its
calls against the minimum and its wall time against calls ÷ the allowed rate.

``python -m bench.isolation [ACCOUNTS]`` runs it alone (prints JSON and the target)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import boto3

from bench.harness import Shape, minimum_calls, sandbox, seed
from bench.speed import LATENCY_MS, REPO, THROTTLE, imported
from orgstack import api
from orgstack.aws.context import AwsOptions
from orgstack.sandbox.fidelity import FidelityConfig, FidelityProxy

#: What each member account costs besides its share of the organization read: AssumeRole,
#: ListRoles (one page: 100 roles), ListAllMyBuckets, and in its one Region ListKeys,
#: ListQueues, ListTopics, ListSecrets, ListFunctions, DescribeRepositories,
#: GetResourceShares and DescribeVpcPeeringConnections. The management account the same
#: but AssumeRole. Each resource with a policy adds its one read (the planted bucket: 1).
PER_MEMBER = 11


def isolation_minimum(shape: Shape, counts: dict[str, list[int]], planted: int) -> int:
    """The fewest calls of the live check: the organization read (as a plan's, every tag)
    and the per-account reads above."""
    return minimum_calls(shape, counts)["total"] + PER_MEMBER * shape.accounts + 10 + planted


def _plant(endpoint: str, spec: Any) -> str:
    """A bucket in the first prod account that the first dev account may read; its ARN."""
    text = spec.read_text()
    stages = {"acct-0": "dev", "acct-1": "prod"}
    for name, stage in stages.items():
        text = text.replace(f"  {name}:\n", f"  {name}:\n    stage: {stage}\n", 1)
    spec.write_text(text)
    client = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    ids = {a["Name"]: a["Id"] for p in client.get_paginator("list_accounts").paginate()
           for a in p["Accounts"]}  # fmt: skip
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{ids['acct-1']}:role/OrganizationAccountAccessRole",
        RoleSessionName="bench",
    )["Credentials"]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=creds["AccessKeyId"],
                      aws_secret_access_key=creds["SecretAccessKey"],
                      aws_session_token=creds["SessionToken"])  # fmt: skip
    s3.create_bucket(Bucket="prod-data")
    s3.put_bucket_policy(Bucket="prod-data", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ids['acct-0']}:root"},
                       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::prod-data/*"}],
    }))  # fmt: skip
    return "arn:aws:s3:::prod-data"


def isolation_check(accounts: int = 200) -> dict[str, Any]:
    shape = Shape(accounts, scps=1)
    with sandbox() as (state, workdir):
        counts = seed(state.endpoint, shape)
        spec = imported(state.endpoint, workdir)
        leak = _plant(state.endpoint, spec)
        proxy = FidelityProxy(
            state.endpoint, FidelityConfig(latency_ms=LATENCY_MS, rate=THROTTLE)
        ).start()
        try:  # in a process of its own, as the CLI runs: the proxy's threads are not its CPU
            run = subprocess.run(  # noqa: PLW1510 (checked below)
                [sys.executable, "-m", "bench.isolation", "--once", str(spec), proxy.endpoint],
                capture_output=True, text=True, cwd=spec.parent, timeout=3600,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )  # fmt: skip
        finally:
            proxy.stop()
    if run.returncode:
        return {"accounts": accounts, "ok": False, "error": run.stderr[-2000:]}
    once = json.loads(run.stdout.strip().splitlines()[-1])
    families = once["by_family"]
    account_wide = {k: v for k, v in families.items() if k in ("organizations", "sts")}
    busiest = max(account_wide, key=lambda f: account_wide[f])
    bound = account_wide[busiest] / THROTTLE
    minimum = isolation_minimum(shape, counts, planted=1)
    return {
        "accounts": accounts,
        "ok": True,
        "found": once["found"],
        "leak_found": once["found"] == [leak],
        "calls": once["calls"],
        "by_operation": once["by_operation"],
        "by_family": families,
        "spans": once["spans"],
        "minimum_calls": minimum,
        "calls_vs_minimum": round(once["calls"] / minimum, 3),
        "wall_s": once["wall_s"],
        "busiest_family": busiest,
        "bound_s": round(bound, 2),
        "wall_vs_bound": round(once["wall_s"] / bound, 2),
        "throttled": sum(v for k, v in proxy.injected.items() if ":" not in k),
    }


def once(spec: str, endpoint: str) -> None:
    """One live check (``--once SPEC ENDPOINT``): prints one JSON line."""
    started = time.perf_counter()
    result = api.isolation(spec, AwsOptions(endpoint_url=endpoint))
    wall = time.perf_counter() - started
    assert result.context is not None
    stats = result.context.stats
    print(json.dumps({
        "wall_s": round(wall, 2), "calls": stats.total_calls,
        "by_operation": dict(sorted(stats.calls.items())), "by_family": stats.by_service(),
        "spans": stats.spans(), "found": [p.resource for p in result.found],
    }))  # fmt: skip


def targets(results: dict[str, Any]) -> list[str]:
    n = results.get("isolation")
    if not n:
        return []
    if not n.get("ok"):
        return [f"isolation check of {n['accounts']:,} accounts: failed — missed"]
    ok = n["calls_vs_minimum"] <= 1.0 and n["wall_vs_bound"] <= 1.5 and n["leak_found"]
    return [
        f"isolation check of {n['accounts']:,} accounts: {n['calls']:,} calls, "
        f"{n['calls_vs_minimum']}× the minimum (≤ 1.0×), {n['wall_s']} s, "
        f"{n['wall_vs_bound']}× calls ÷ rate of the busiest family (≤ 1.5×), the planted leak "
        f"found: {n['leak_found']} — " + ("met" if ok else "missed")
    ]


def markdown(results: dict[str, Any]) -> list[str]:
    n = results.get("isolation")
    if not n:
        return []
    if not n.get("ok"):
        return ["", "### Isolation", "", f"Failed: {n.get('error', '')[-300:]}"]
    return [
        "",
        f"### Isolation of {n['accounts']:,} accounts",
        "",
        f"An imported organization of {n['accounts']:,} accounts, one bucket in a prod account "
        "readable by a dev account. `orgstack isolation` through the proxy "
        f"({THROTTLE:.0f} requests/s per family): {n['calls']:,} calls against a minimum of "
        f"{n['minimum_calls']:,} ({n['calls_vs_minimum']}×): the organization read and "
        f"{PER_MEMBER} per member account (formula in `bench/isolation.py`). "
        + ", ".join(f"{k} {v:,}" for k, v in n["by_family"].items())
        + f"; {n['wall_s']} s, the busiest account-wide family ({n['busiest_family']}) bounding "
        f"it at {n['bound_s']} s ({n['wall_vs_bound']}×); {n['throttled']} requests throttled. "
        f"Found: {', '.join(n['found']) or 'nothing'}.",
    ]


def main() -> None:
    if sys.argv[1:2] == ["--once"]:
        once(sys.argv[2], sys.argv[3])
        return
    accounts = int(sys.argv[1]) if sys.argv[1:] else 200
    results = {"isolation": isolation_check(accounts)}
    print(json.dumps(results["isolation"], indent=1))
    print("\n".join(targets(results)))


if __name__ == "__main__":
    main()
