"""``make reliability``: faults, SIGKILLs and fuzzing; every run must converge, no duplicate
account, no traceback. Writes docs/reliability.md. ``make test`` runs a short form."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import client, sandbox
from orgstack import api
from orgstack.apply.context import ApplyOptions
from orgstack.aws.context import AwsOptions
from orgstack.errors import OrgstackError, SpecError
from orgstack.plan.planfile import plan_to_dict
from orgstack.sandbox.fidelity import FidelityConfig, FidelityProxy
from orgstack.spec.loader import load_spec

REPO = Path(__file__).resolve().parents[1]
SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example', account_quota: 50}
organizational_units: {Workloads: {children: {Prod: {tags: {tier: '1'}}, NonProd: {}}}, Sandbox: {}}
accounts:
  management: {purpose: management, ou: root}
  web-prod: {purpose: workload, stage: prod, workload: web, ou: Workloads/Prod, tags: {team: web}}
  web-dev: {purpose: workload, stage: dev, workload: web, ou: Workloads/NonProd, tags: {team: web}}
  api-prod: {purpose: workload, stage: prod, workload: api, ou: Workloads/Prod}
  api-dev: {purpose: workload, stage: dev, workload: api, ou: Workloads/NonProd}
  lab: {purpose: sandbox, ou: Sandbox}
  logs: {purpose: log-archive, ou: root}
  sec: {purpose: security, ou: root}
  vault: {purpose: backup, ou: root}
security: {services: [guardduty, securityhub]}
logging: {retention_days: 30}
backup: {targets: [ou:Workloads/Prod], plans: {daily: {schedule: 'cron(0 5 ? * * *)', keep_days: 7, copy_keep_days: 35}}}
policies:
  guard: {type: service_control, targets: [root, ou:Workloads], content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]}}
  stage: {type: tag, targets: [root], content: {tags: {stage: {tag_key: {'@@assign': stage}}}}}
access:
  mode: iam
  users: {ana: {email: ana@acme.example}, bo: {}}
  groups: {devs: {members: [ana, bo]}, ops: {members: [bo]}}
  grants:
    - {group: devs, level: poweruser, accounts: {stage: dev}}
    - {group: devs, level: readonly, accounts: {stage: prod}}
    - {group: ops, level: poweruser, accounts: {stage: prod}}
    - {group: ops, level: security-audit, accounts: all}
"""
DECLARED = ("web-prod", "web-dev", "api-prod", "api-dev", "lab", "logs", "sec", "vault")
FAULTS = FidelityConfig(
    latency_ms=5,
    throttle_share=0.3,
    error_share=0.05,
    conflict_share=0.05,
    reset_share=0.02,
    lost_share=0.02,
    create_account_s=1.0,
)


@dataclass
class Tally:
    """One scenario's figures for docs/reliability.md."""

    name: str
    runs: int = 0
    converged: int = 0
    duplicates: int = 0
    tracebacks: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def _count_accounts(endpoint: str) -> Counter[str]:
    c = client(endpoint)
    return Counter(
        a["Name"] for page in c.get_paginator("list_accounts").paginate() for a in page["Accounts"]
    )


def _converged(endpoint: str, spec: Path) -> tuple[bool, int]:
    options = AwsOptions(endpoint_url=endpoint, rate=1e6, adaptive=False)
    plan = api.make_plan(spec, options).plan
    names = _count_accounts(endpoint)
    return plan.empty, sum(n - 1 for name, n in names.items() if name in DECLARED and n > 1)


def faults(runs: int, seed: int = 1) -> Tally:
    """Plan and apply through the proxy under throttling, 5xx, conflicts, resets, lost answers."""
    tally = Tally(
        "apply under faults (30 % throttled, 5 % 5xx, 5 % conflicts, 2 % resets, 2 % lost answers)"
    )
    for run in range(runs):
        with sandbox() as (state, workdir):
            spec = workdir / "orgstack.yaml"
            spec.write_text(SPEC)
            proxy = FidelityProxy(
                state.endpoint, FidelityConfig(**{**FAULTS.__dict__, "seed": seed + run})
            ).start()
            options = AwsOptions(
                endpoint_url=proxy.endpoint, rates={"organizations": 200, "sts": 200}
            )
            tally.runs += 1
            try:
                for _ in range(
                    3
                ):  # an apply may fail a change after all retries; the next converges
                    planned = api.make_plan(spec, options).plan
                    if planned.empty:
                        break
                    api.apply_plan(
                        planned,
                        plan_to_dict(planned, str(spec)),
                        options,
                        ApplyOptions(poll_initial_s=0.2, retry_base_s=0.05, retries=8),
                    )
            except OrgstackError as exc:
                tally.notes.append(f"run {run}: {exc.message.splitlines()[0]}")
            except Exception as exc:
                tally.tracebacks += 1
                tally.notes.append(f"run {run}: traceback {type(exc).__name__}: {exc}")
            finally:
                proxy.stop()
                tally.injected.update({k: v for k, v in proxy.injected.items() if ":" not in k})
            empty, duplicates = _converged(state.endpoint, spec)
            tally.converged += int(empty)
            tally.duplicates += duplicates
    return tally


def _finished(journals: Path) -> bool:
    latest = max(journals.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    return '"event":"finished"' in latest.read_text()


def _orgstack(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).with_name("orgstack")), *args]
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kills(runs: int, seed: int = 7) -> Tally:
    """`orgstack apply plan.json` killed with SIGKILL at random moments, then resumed (and maybe
    killed again) until it finishes; exactly one account per declared one, every change journaled."""
    rng = random.Random(seed)
    tally = Tally("apply killed with SIGKILL at random moments, then `apply --resume`")
    for run in range(runs):
        with sandbox() as (state, workdir):
            spec = workdir / "orgstack.yaml"
            spec.write_text(SPEC)
            proxy = FidelityProxy(
                state.endpoint, FidelityConfig(latency_ms=30, create_account_s=1.0)
            ).start()
            env = {
                **os.environ,
                "AWS_ENDPOINT_URL": proxy.endpoint,
                "ORGSTACK_STATE_DIR": str(workdir / ".orgstack"),
            }
            tally.runs += 1
            try:
                planned = subprocess.run(
                    [str(Path(sys.executable).with_name("orgstack")), "plan", "-o", "plan.json"],
                    cwd=workdir,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                del planned
                journals = workdir / ".orgstack" / "journal"
                killed = 0
                for _attempt in range(12):
                    # Killed before its journal existed: nothing happened yet, apply the plan again;
                    # killed after it finished (while printing): done.
                    started = journals.exists() and any(journals.glob("*.jsonl"))
                    if started and _finished(journals):
                        break
                    args = ("apply", "--resume") if started else ("apply", "plan.json")
                    process = _orgstack(*args, "--format", "json", env=env, cwd=workdir)
                    deadline = rng.uniform(0.3, 4.0) if killed < 4 else None
                    try:
                        _, err = process.communicate(timeout=deadline)
                    except subprocess.TimeoutExpired:
                        process.send_signal(signal.SIGKILL)
                        process.communicate()
                        killed += 1
                        continue
                    if "Traceback" in err:
                        tally.tracebacks += 1
                    if process.returncode:
                        tally.notes.append(
                            f"run {run}: `orgstack {' '.join(args)}` exited {process.returncode}: {err.strip()[:200]}"
                        )
                    break
                tally.injected["SIGKILL"] += killed
                found = sorted(journals.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
                records = [
                    json.loads(line)
                    for path in found[-1:]
                    for line in path.read_text().splitlines()
                    if line.strip()
                ]
                plan_changes = json.loads((workdir / "plan.json").read_text())["changes"]
                done = {r["index"] for r in records if r["event"] == "done"}
                if not found:
                    tally.notes.append(f"run {run}: no journal after {killed} kills")
                elif done != set(range(len(plan_changes))):
                    tally.notes.append(
                        f"run {run}: journal accounts for {len(done)} of {len(plan_changes)} changes"
                    )
            finally:
                proxy.stop()
            empty, duplicates = _converged(state.endpoint, spec)
            tally.converged += int(empty)
            tally.duplicates += duplicates
    return tally


def fuzz(examples: int) -> Tally:
    """Malformed specs (a corpus, then random documents): a clean error or a model, never a traceback."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    tally = Tally("spec loader: malformed corpus and property-based fuzzing (hypothesis)")
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"orgstack-fuzz-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)

    def attempt(text: str) -> None:
        path = work / "orgstack.yaml"
        path.write_text(text, encoding="utf-8")
        tally.runs += 1
        try:
            load_spec(path)
        except SpecError:
            pass
        except Exception as exc:
            tally.tracebacks += 1
            tally.notes.append(f"{type(exc).__name__}: {exc!r} on {text[:80]!r}")
        tally.converged += 1

    from tests.unit.test_spec_errors import CASES

    for files, _ in CASES.values():
        for name, text in files.items():
            if name == "orgstack.yaml":
                attempt(text)
    base = (REPO / "examples" / "minimal" / "orgstack.yaml").read_text()
    rng = random.Random(3)
    for _ in range(examples // 2):  # mutations of a real spec: cut, duplicate, swap characters
        chars = list(base)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(chars))
            chars[i : i + rng.randint(0, 4)] = rng.choice(
                ["", ":", "- ", "\t", "{", "]", "'", "\n  x: 1\n", "ou: Nope"]
            )
        attempt("".join(chars))
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    )
    documents = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
        ),
        max_leaves=20,
    )
    keys = st.sampled_from(
        [
            "organization",
            "accounts",
            "organizational_units",
            "policies",
            "ignore",
            "version",
            "unmanaged",
        ]
    )
    shaped = st.dictionaries(keys, documents, max_size=5)

    @settings(
        max_examples=examples // 2,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(st.one_of(documents, shaped), st.sampled_from(["json", "yaml"]))
    def property_run(document: Any, style: str) -> None:
        if style == "json":
            attempt(json.dumps(document))
        else:
            from io import StringIO

            from ruamel.yaml import YAML

            out = StringIO()
            YAML(typ="safe", pure=True).dump(document, out)
            attempt(out.getvalue())

    property_run()
    return tally


def report(tallies: list[Tally], command: str, minutes: float | None = None) -> str:
    lines = [
        "# Reliability",
        "",
        f"Measured by `{command}` on {time.strftime('%Y-%m-%d')}. Every run must "
        "converge (the next plan is empty), with no duplicate account and no traceback.",
        "",
        "| scenario | faults injected | runs | converged | duplicate accounts | tracebacks |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for t in tallies:
        injected = ", ".join(f"{k} {v}" for k, v in sorted(t.injected.items())) or "—"
        lines.append(
            f"| {t.name} | {injected} | {t.runs} | {t.converged} | {t.duplicates} | {t.tracebacks} |"
        )
    notes = [f"- {n}" for t in tallies for n in t.notes]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += [
        "",
        "Faults come from the fidelity proxy (`orgstack.sandbox.fidelity`): injected throttles, 5xx, "
        "conflicts and resets never reach the emulator; a lost answer reaches it and is then cut off, like a "
        "timeout after AWS did the work. Reproduce: `make reliability` (a short form runs in `make test`).",
        "The applies include cross-account access: IAM users, groups and the MFA policy in the "
        "management account, and switch-role roles in each member account.",
    ]
    if minutes is not None:
        lines += [
            "",
            f"Timing: the full run took {minutes:.0f} minutes on {os.cpu_count()} cores; most of it "
            "is the fault scenario, where orgstack's adaptive rate lowers each API family's sending "
            "rate under a constant 30 % random throttle (real throttling is rate-based, so the "
            "client recovers there).",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    started = time.monotonic()
    tallies = [faults(runs=5), kills(runs=8), fuzz(examples=1500)]
    text = report(tallies, "make reliability", (time.monotonic() - started) / 60)
    (REPO / "docs" / "reliability.md").write_text(text)
    print(text)
    bad = any(t.tracebacks or t.duplicates or t.converged != t.runs for t in tallies)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
