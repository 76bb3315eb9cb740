"""``make bench``: plan at 10 → 5,000 accounts, 50 account creations, CLI start-up.

Writes bench/results/latest.json and docs/performance.md.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import isolation, network, speed
from bench.harness import Shape, machine, minimum_calls, sandbox, seed
from orgstack import api
from orgstack.apply.context import ApplyOptions
from orgstack.aws.context import AwsOptions
from orgstack.plan.planfile import plan_to_dict
from orgstack.sandbox.fidelity import FidelityConfig, FidelityProxy

REPO = Path(__file__).resolve().parents[1]
LATENCY_MS = 40.0
RATE = 50.0  # requests per second allowed per API family (the proxy throttles beyond it)
CREATION_S = 10.0
SIZES = (10, 100, 1000, 5000)


def direct(endpoint: str) -> AwsOptions:
    return AwsOptions(endpoint_url=endpoint, rate=1e6, adaptive=False)


def plan_scenario(accounts: int) -> dict[str, Any]:
    shape = Shape(accounts)
    with sandbox() as (state, workdir):
        started = time.perf_counter()
        counts = seed(state.endpoint, shape)
        spec = workdir / "orgstack.yaml"
        api.import_organization(spec, direct(state.endpoint), name="bench")
        seeded = time.perf_counter() - started
        proxy = FidelityProxy(
            state.endpoint, FidelityConfig(latency_ms=LATENCY_MS, rate=RATE)
        ).start()
        try:
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            run = subprocess.run(  # noqa: PLW1510 (the return code is checked below)
                [sys.executable, "-m", "bench.plan_once", str(spec), proxy.endpoint, "adaptive"],
                capture_output=True,
                text=True,
                cwd=workdir,
                timeout=1800,
                env=env,
            )
            if run.returncode:
                raise RuntimeError(f"plan failed:\n{run.stderr[-3000:]}")
        finally:
            proxy.stop()
        measured = json.loads(run.stdout.strip().splitlines()[-1])
    minimum = minimum_calls(shape, counts)
    floor_s = minimum["total"] / RATE
    return {
        "accounts": accounts,
        "ous": shape.ous,
        "scps": shape.scps,
        "seed_s": round(seeded, 1),
        **measured,
        "minimum_calls": minimum["total"],
        "minimum_reads": minimum["reads"],
        "calls_vs_minimum": round(measured["calls"] / minimum["total"], 3),
        "floor_s": round(floor_s, 1),
        "wall_vs_floor": round(measured["wall_s"] / floor_s, 2),
        "throttled": measured["attempts"] - measured["calls"],
    }


def apply_scenario(accounts: int = 50) -> dict[str, Any]:
    names = "".join(
        f"  a{i:02d}: {{purpose: workload, stage: dev, workload: w{i:02d}, ou: Workloads}}\n"
        for i in range(accounts)
    )
    spec_text = (
        "organization: {name: bench, home_region: us-east-1, email_pattern: 'aws+{account}@bench.example', "
        "account_quota: 100}\norganizational_units: {Workloads: {}}\naccounts:\n" + names
    )
    with sandbox() as (state, workdir):
        spec = workdir / "orgstack.yaml"
        spec.write_text(spec_text)
        plan = api.make_plan(spec, direct(state.endpoint)).plan
        config = FidelityConfig(latency_ms=LATENCY_MS, rate=RATE, create_account_s=CREATION_S)
        proxy = FidelityProxy(state.endpoint, config).start()
        try:
            options = AwsOptions(
                endpoint_url=proxy.endpoint, rates={"organizations": RATE, "sts": RATE}
            )
            started = time.perf_counter()
            result = api.apply_plan(
                plan,
                plan_to_dict(plan, str(spec)),
                options,
                ApplyOptions(poll_initial_s=1.0, poll_max_s=30.0),
            )
            wall = time.perf_counter() - started
        finally:
            proxy.stop()
    floor = math.ceil(accounts / 5) * CREATION_S
    return {
        "accounts": accounts,
        "creation_s": CREATION_S,
        "wall_s": round(wall, 1),
        "floor_s": floor,
        "wall_vs_floor": round(wall / floor, 3),
        "ok": result.ok,
        "describe_status_calls": result.context.stats.calls[
            "organizations.DescribeCreateAccountStatus"
        ],
        "calls": result.context.stats.total_calls,
    }


ACCESS_USERS = 12
ACCESS = """
access:
  mode: iam
  users: {%(users)s}
  groups:
    developers: {members: [%(developers)s]}
    devops: {members: [%(devops)s]}
    security: {members: [%(security)s]}
  grants:
    - {group: developers, level: readonly, accounts: all}
    - {group: devops, level: poweruser, accounts: {ou: BU0}}
    - {group: security, level: security-audit, accounts: all}
"""


def sandbox_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def access_scenario(accounts: int = 200) -> dict[str, Any]:
    """Switch-role roles rolled out to every account of an imported organization: plan, apply
    (through the proxy), plan again (empty), and the emulator's memory afterwards."""
    shape = Shape(accounts, scps=1)
    names = [f"user{i:02d}" for i in range(ACCESS_USERS)]
    third = ACCESS_USERS // 3
    with sandbox() as (state, workdir):
        seed(state.endpoint, shape)
        spec = workdir / "orgstack.yaml"
        api.import_organization(spec, direct(state.endpoint), name="bench")
        spec.write_text(
            spec.read_text()
            + ACCESS
            % {
                "users": ", ".join(f"{n}: {{}}" for n in names),
                "developers": ", ".join(names[:third]),
                "devops": ", ".join(names[third : 2 * third]),
                "security": ", ".join(names[2 * third :]),
            }
        )
        proxy = FidelityProxy(
            state.endpoint, FidelityConfig(latency_ms=LATENCY_MS, rate=RATE)
        ).start()
        rates = {"organizations": RATE, "sts": RATE, "iam": RATE}
        try:
            options = AwsOptions(endpoint_url=proxy.endpoint, rates=rates)
            started = time.perf_counter()
            planned = api.make_plan(spec, options)
            plan_s = time.perf_counter() - started
            plan = planned.plan
            started = time.perf_counter()
            result = api.apply_plan(
                plan, plan_to_dict(plan, str(spec)), options, ApplyOptions(max_workers=8)
            )
            apply_s = time.perf_counter() - started
            started = time.perf_counter()
            again = api.make_plan(spec, options)
            replan_s = time.perf_counter() - started
        finally:
            proxy.stop()
        rss = sandbox_rss_mib(state.pid)
    roles = sum(1 for c in plan.changes if "/role/" in c.address)
    identity = len(plan.changes) - roles
    apply_calls = result.context.stats.total_calls
    # Fewest calls: per role CreateRole + AttachRolePolicy; per member account one AssumeRole
    # and one GetAccountAuthorizationDetails for the stale check; identity objects 2 calls each
    # on average (create + attach/put/add).
    apply_min = 2 * roles + 2 * accounts + 2 * identity
    families: dict[str, int] = {}
    for operation, count in result.context.stats.calls.items():
        family = operation.split(".")[0]
        families[family] = families.get(family, 0) + count
    floor = max(families.values()) / RATE

    def access_calls(stats: Any) -> int:
        return sum(n for op, n in stats.calls.items() if op.split(".")[0] in ("sts", "iam"))

    return {
        "accounts": accounts,
        "users": ACCESS_USERS,
        "roles": roles,
        "changes": len(plan.changes),
        "plan_s": round(plan_s, 1),
        "plan_calls": planned.context.stats.total_calls,
        # The access part: GetCallerIdentity, the identity account's read, and per member
        # account AssumeRole + GetAccountAuthorizationDetails (+ ListRoles once roles exist).
        "plan_access_calls": access_calls(planned.context.stats),
        "plan_access_min_calls": 2 + 2 * accounts,
        "apply_s": round(apply_s, 1),
        "apply_calls": apply_calls,
        "apply_min_calls": apply_min,
        "apply_floor_s": round(floor, 1),
        "apply_vs_floor": round(apply_s / floor, 2),
        "apply_calls_by_family": families,
        "ok": result.ok,
        "replan_changes": len(again.plan.changes),
        "replan_s": round(replan_s, 1),
        "replan_calls": again.context.stats.total_calls,
        "replan_access_calls": access_calls(again.context.stats),
        "replan_access_min_calls": 2 + 3 * accounts,
        "sandbox_rss_mib": rss,
    }


def startup() -> dict[str, Any]:
    orgstack = str(Path(sys.executable).with_name("orgstack"))
    timings: dict[str, Any] = {}
    for label, args in (
        ("help", ["--help"]),
        (
            "validate_enterprise",
            ["validate", "-f", str(REPO / "examples/enterprise/orgstack.yaml")],
        ),
    ):
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run([orgstack, *args], capture_output=True, check=False)
            runs.append(time.perf_counter() - started)
        timings[label] = {
            "median_s": round(statistics.median(runs), 3),
            "min_s": round(min(runs), 3),
        }
    return timings


VALIDATE_SIZES = (1000, 2500, 5000, 10000)


def validate_spec(accounts: int) -> str:
    """A spec of ``accounts`` workload accounts in two OUs, with an SCP and a tag policy."""
    lines = [
        "organization: {name: acme, home_region: us-east-1, "
        "email_pattern: 'aws+{account}@acme.example', account_quota: 20000}",
        "organizational_units: {Workloads: {children: {Prod: {}, Dev: {}}}}",
        "accounts:",
        "  management: {purpose: management, ou: root}",
    ]
    lines += [
        f"  app{i:05d}: {{purpose: workload, ou: Workloads/{'Prod' if i % 2 else 'Dev'}, "
        f"stage: {'prod' if i % 2 else 'dev'}, workload: app{i // 2:05d}, tags: {{team: t{i % 50}}}}}"
        for i in range(accounts)
    ]
    lines += [
        "policies:",
        "  deny-leave:",
        "    type: service_control",
        "    content: {Version: '2012-10-17', Statement: [{Effect: Deny, "
        "Action: 'organizations:LeaveOrganization', Resource: '*'}]}",
        "    targets: [root]",
    ]
    return "\n".join(lines) + "\n"


def validate_scenario() -> list[dict[str, Any]]:
    """`orgstack validate` (load, compile, every rule) from 1,000 to 10,000 accounts: the
    time per account must stay flat (it was quadratic: 5,000 accounts took 17 s)."""
    import tempfile

    orgstack = str(Path(sys.executable).with_name("orgstack"))
    found = []
    with tempfile.TemporaryDirectory() as directory:
        for size in VALIDATE_SIZES:
            spec = Path(directory) / f"spec-{size}.yaml"
            spec.write_text(validate_spec(size))
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                done = subprocess.run(
                    [orgstack, "validate", "-f", str(spec)],
                    check=False,
                    capture_output=True,
                    text=True,
                )
                runs.append(time.perf_counter() - started)
                if "rules)" not in done.stdout or "problems" in done.stdout:
                    # Timing a spec error would measure the wrong thing.
                    raise SystemExit(
                        f"validate of {size} accounts did not run the rules:\n{done.stderr}"
                    )
            wall = statistics.median(runs)
            found.append(
                {
                    "accounts": size,
                    "wall_s": round(wall, 2),
                    "ms_per_account": round(wall / size * 1000, 3),
                }
            )
    return found


def write_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {results['date']}: {m['cpus']} cores ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, {m['system']}. Raw figures: `bench/results/latest.json`.",
        "",
        f"Conditions: the sandbox (moto server) behind the fidelity proxy (`orgstack.sandbox.fidelity`): "
        f"{results['latency_ms']:.0f} ms per call, AWS-style throttling above {results['rate']:.0f} requests/s per API "
        f"family (a token bucket holding one second of calls, as AWS's do: a run shorter than a "
        f"few seconds can end below calls ÷ rate); orgstack with default settings (each family's "
        f"rate adapts; the access rollout with a ceiling of {results['rate']:.0f}/s), 8 workers.",
        "",
        "## Plan",
        "",
        "Minimum calls: 3 + Σ over the root and every OU of (ListOrganizationalUnitsForParent pages + "
        "ListAccountsForParent pages, 20 items a page, at least one each) + 2 ListPolicies + 2 per policy "
        "(DescribePolicy, ListTargetsForPolicy) + 2 (trusted access, delegated admins) + one ListTagsForResource "
        "per managed account and OU. Floor = minimum calls ÷ allowed rate.",
        "",
        "| accounts | OUs | calls | minimum | calls/min | wall s | floor s | wall/floor | throttled | peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["plan"]:
        lines.append(
            f"| {r['accounts']:,} | {r['ous']:,} | {r['calls']:,} | {r['minimum_calls']:,} | {r['calls_vs_minimum']} "
            f"| {r['wall_s']} | {r['floor_s']} | {r['wall_vs_floor']} | {r['throttled']} | {r['peak_rss_mib']} |"
        )
    a = results["apply"]
    s = results["startup"]
    lines += [
        "",
        "## Apply: creating 50 accounts",
        "",
        f"Each account stays IN_PROGRESS for {a['creation_s']:.0f} s (proxy); AWS allows 5 creations at once, so "
        f"the floor is ceil(50 / 5) × {a['creation_s']:.0f} s = {a['floor_s']:.0f} s.",
        "",
        "| wall s | floor s | wall/floor | DescribeCreateAccountStatus calls | all calls | ok |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {a['wall_s']} | {a['floor_s']:.0f} | {a['wall_vs_floor']} | {a['describe_status_calls']} | {a['calls']} | {a['ok']} |",
        "",
        "## CLI start-up (median of 7)",
        "",
        f"- `orgstack --help`: {s['help']['median_s']} s (target < 0.3 s)",
        f"- `orgstack validate` on the enterprise example: {s['validate_enterprise']['median_s']} s",
        "",
        "## Targets",
        "",
    ]
    for target in results["targets"]:
        lines.append(f"- {target}")
    x = results.get("access")
    if x:
        lines += [
            "",
            f"## Access: switch-role roles rolled out to {x['accounts']} accounts",
            "",
            f"An imported organization of {x['accounts']} accounts gets `access:` (iam mode, "
            f"{x['users']} users in 3 groups: readonly and security-audit everywhere, poweruser in one "
            f"business unit): {x['roles']} roles in member accounts and {x['changes'] - x['roles']} "
            "identity objects, through the access role of each account. Floor = the busiest API "
            "family's calls ÷ allowed rate. Plan minimum: per account AssumeRole + "
            "GetAccountAuthorizationDetails, plus the identity account and the organization read. "
            "Apply minimum: CreateRole + AttachRolePolicy per role, AssumeRole + one read per account "
            "(stale check), about 2 calls per identity object.",
            "",
            "| | wall s | calls | of which access (STS, IAM) | access minimum |",
            "|---|---:|---:|---:|---:|",
            f"| plan | {x['plan_s']} | {x['plan_calls']} | {x['plan_access_calls']} | "
            f"{x['plan_access_min_calls']} |",
            f"| apply | {x['apply_s']} | {x['apply_calls']} | | {x['apply_min_calls']} (all) |",
            f"| plan after apply | {x['replan_s']} | {x['replan_calls']} | "
            f"{x['replan_access_calls']} | {x['replan_access_min_calls']} |",
            "",
            f"Apply: {x['apply_vs_floor']}× its floor of {x['apply_floor_s']} s; the plan after it "
            f"has {x['replan_changes']} changes; ok: {x['ok']}. The emulator's memory afterwards: "
            f"{x['sandbox_rss_mib']} MiB for {x['accounts']} accounts with their roles.",
            "",
            "The emulator creates AWS managed policies in an account only when one is attached there "
            "(sandbox shim `lazy_managed_policies`): loading moto's 1,582 into every account would "
            "cost about 33 MB per account.",
        ]
    if results.get("validate"):
        lines += [
            "",
            "## `orgstack validate` from 1,000 to 10,000 accounts",
            "",
            "| accounts | wall (s) | ms per account |",
            "|---:|---:|---:|",
        ]
        lines += [
            f"| {r['accounts']:,} | {r['wall_s']} | {r['ms_per_account']} |"
            for r in results["validate"]
        ]
    lines += speed.markdown(results) + network.markdown(results) + isolation.markdown(results)
    for name, when in results.get("again", {}).items():
        lines += [
            "",
            f"(`{name}` measured again on {when} with `python -m bench.run --again {name}`.)",
        ]
    lines += [
        "",
        "Reproduce: `make bench` (about 20 minutes on 2 cores).",
    ]
    return "\n".join(lines) + "\n"


def targets(results: dict[str, Any]) -> list[str]:
    found = []
    thousand = next(r for r in results["plan"] if r["accounts"] == 1000)
    found.append(
        f"plan on 1,000 accounts within 1.1× the minimum calls: {thousand['calls_vs_minimum']}× — "
        + ("met" if thousand["calls_vs_minimum"] <= 1.1 else "missed")
    )
    found.append(
        f"plan on 1,000 accounts within 1.5× of minimum calls ÷ allowed rate: {thousand['wall_vs_floor']}× — "
        + ("met" if thousand["wall_vs_floor"] <= 1.5 else "missed")
    )
    a = results["apply"]
    found.append(
        f"50 account creations within 1.2× of the 5-at-once floor: {a['wall_vs_floor']}× — "
        + ("met" if a["wall_vs_floor"] <= 1.2 else "missed")
    )
    x = results.get("access")
    if x:
        found.append(
            f"access roles in {x['accounts']} accounts converge (apply, then plan empty): "
            + ("met" if x["ok"] and x["replan_changes"] == 0 else "missed")
        )
    v = results.get("validate")
    if v:
        first, last = v[0], v[-1]
        growth = round(last["ms_per_account"] / first["ms_per_account"], 2)
        found.append(
            f"validate of {last['accounts']:,} accounts under 10 s and linear (time per account "
            f"at {last['accounts']:,} within 1.5× of {first['accounts']:,}): {last['wall_s']} s, "
            f"{growth}× — " + ("met" if last["wall_s"] < 10 and growth <= 1.5 else "missed")
        )
    help_s = results["startup"]["help"]["median_s"]
    found.append(
        f"`orgstack --help` under 0.3 s: {help_s} s — " + ("met" if help_s < 0.3 else "missed")
    )
    return found


def again(name: str) -> None:
    """``python -m bench.run --again five_thousand``: measure one scenario of bench/speed.py
    again into the last results (after a change that concerns only it), and rewrite the
    documentation from them."""
    path = REPO / "bench" / "results" / "latest.json"
    results = json.loads(path.read_text())
    scenarios = {
        "noop": speed.noop_plans,
        "access_plan": speed.access_plan,
        "five_thousand": speed.five_thousand,
        "network": network.network_plan,
        "isolation": isolation.isolation_check,
    }
    results[name] = scenarios[name]()
    results.setdefault("again", {})[name] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["targets"] = (
        targets(results)
        + speed.targets(results)
        + network.targets(results)
        + isolation.targets(results)
    )
    path.write_text(json.dumps(results, indent=2) + "\n")
    (REPO / "docs" / "performance.md").write_text(write_markdown(results))
    print("\n".join(results["targets"]))


def main() -> None:
    if sys.argv[1:2] == ["--again"]:
        again(sys.argv[2])
        return
    sizes = tuple(int(s) for s in sys.argv[1:]) or SIZES
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": machine(),
        "latency_ms": LATENCY_MS,
        "rate": RATE,
        "plan": [],
    }
    for size in sizes:
        print(f"plan: {size} accounts …", flush=True)
        results["plan"].append(plan_scenario(size))
        print(json.dumps(results["plan"][-1]), flush=True)
    print("apply: 50 account creations …", flush=True)
    results["apply"] = apply_scenario()
    print(json.dumps(results["apply"]), flush=True)
    print("access: roles in 200 accounts …", flush=True)
    results["access"] = access_scenario()
    print(json.dumps(results["access"]), flush=True)
    print("validate: 1,000 to 10,000 accounts …", flush=True)
    results["validate"] = validate_scenario()
    print(json.dumps(results["validate"]), flush=True)
    print("speed: no-op plans of 500 accounts …", flush=True)
    results["noop"] = speed.noop_plans()
    print(json.dumps(results["noop"])[:2000], flush=True)
    print("speed: plan with access for 1,000 accounts …", flush=True)
    results["access_plan"] = speed.access_plan()
    print(json.dumps(results["access_plan"])[:2000], flush=True)
    print("network: 1,000 stage accounts with their VPCs …", flush=True)
    results["network"] = network.network_plan()
    print(json.dumps(results["network"])[:2000], flush=True)
    print("isolation: 200 accounts …", flush=True)
    results["isolation"] = isolation.isolation_check()
    print(json.dumps(results["isolation"])[:2000], flush=True)
    print("speed: 5,000 accounts with access (partial plan, memory) …", flush=True)
    results["five_thousand"] = speed.five_thousand()
    print(json.dumps(results["five_thousand"])[:2000], flush=True)
    results["startup"] = startup()
    results["targets"] = (
        (targets(results) if any(r["accounts"] == 1000 for r in results["plan"]) else [])
        + speed.targets(results)
        + network.targets(results)
        + isolation.targets(results)
    )
    (REPO / "bench" / "results" / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (REPO / "docs" / "performance.md").write_text(write_markdown(results))
    print("\n".join(results["targets"]))


if __name__ == "__main__":
    main()
