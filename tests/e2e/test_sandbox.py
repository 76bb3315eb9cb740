"""The sandbox as a user runs it: the CLI in a subprocess, boto3 through the printed environment."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ORGSTACK = [sys.executable, "-m", "orgstack.cli"]


def orgstack(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("ORGSTACK_STATE_DIR", None)
    return subprocess.run(
        [*ORGSTACK, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def exports(stdout: str) -> dict[str, str]:
    env = {}
    for line in stdout.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            env[key] = shlex.split(value)[0]
    return env


def boto3_in_clean_env(
    env: dict[str, str], code: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with ``args`` as ``sys.argv[1:]``) in a process whose only AWS
    configuration is ``env``."""
    clean = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", **env}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=clean, capture_output=True, text=True, timeout=60
    )


def server_processes(state_dir: Path) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "orgstack.sandbox.server" in text and str(state_dir) in text:
            found.append(text)
    return found


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    orgstack(tmp_path, "sandbox", "stop")


def test_start_with_organization_is_seen_by_plain_boto3_and_stop_leaves_nothing(
    workdir: Path,
) -> None:
    started = orgstack(workdir, "sandbox", "start", "--with-organization")
    assert started.returncode == 0, started.stderr
    env = exports(started.stdout)
    assert sorted(env) == [
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_SECRET_ACCESS_KEY",
    ]
    assert env["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert "unset AWS_PROFILE AWS_SESSION_TOKEN" in started.stdout
    assert "with an organization with all features" in started.stderr

    seen = boto3_in_clean_env(
        env,
        "import boto3, json; o = boto3.client('organizations').describe_organization()['Organization'];"
        "print(json.dumps([o['FeatureSet'], o['MasterAccountId']]))",
    )
    assert seen.returncode == 0, seen.stderr
    assert json.loads(seen.stdout) == ["ALL", "123456789012"]

    status = orgstack(workdir, "sandbox", "status", "--format", "json")
    assert json.loads(status.stdout) == {
        "running": True,
        "endpoint": env["AWS_ENDPOINT_URL"],
        "pid": json.loads(status.stdout)["pid"],
        "with_organization": True,
        "enforce_iam": False,
        "responding": True,
    }
    again = orgstack(workdir, "sandbox", "start", "--with-organization")
    assert again.returncode == 0 and "Already running:" in again.stderr
    assert exports(again.stdout) == env

    state_dir = workdir / ".orgstack"
    assert len(server_processes(state_dir)) == 1
    stopped = orgstack(workdir, "sandbox", "stop")
    assert stopped.returncode == 0 and "Stopped the sandbox" in stopped.stderr
    assert server_processes(state_dir) == []
    assert not (state_dir / "sandbox.json").exists()
    assert orgstack(workdir, "sandbox", "status").stdout == "not running\n"
    assert "No sandbox was running." in orgstack(workdir, "sandbox", "stop").stderr


def test_default_sandbox_is_a_new_customer_account_and_reset_wipes_state(workdir: Path) -> None:
    started = orgstack(workdir, "sandbox", "start")
    assert started.returncode == 0, started.stderr
    env = exports(started.stdout)
    probe = (
        "import boto3\n"
        "c = boto3.client('organizations')\n"
        "try:\n    c.describe_organization(); print('org')\n"
        "except c.exceptions.AWSOrganizationsNotInUseException:\n    print('no org')\n"
    )
    assert boto3_in_clean_env(env, probe).stdout == "no org\n"
    assert (
        boto3_in_clean_env(
            env, "import boto3; boto3.client('organizations').create_organization(FeatureSet='ALL')"
        ).returncode
        == 0
    )
    assert boto3_in_clean_env(env, probe).stdout == "org\n"

    reset = orgstack(workdir, "sandbox", "reset")
    assert reset.returncode == 0, reset.stderr
    assert exports(reset.stdout) == env  # same port
    assert boto3_in_clean_env(env, probe).stdout == "no org\n"
    assert len(server_processes(workdir / ".orgstack")) == 1


def test_env_without_a_sandbox_says_how_to_start_one(workdir: Path) -> None:
    result = orgstack(workdir, "sandbox", "env")
    assert result.returncode == 1
    assert (
        result.stderr
        == "Error: no sandbox is running here\nHint: Start one with `orgstack sandbox start`.\n"
    )


def test_a_frozen_sandbox_is_reported_as_not_responding(workdir: Path) -> None:
    import os
    import signal

    assert orgstack(workdir, "sandbox", "start").returncode == 0
    assert orgstack(workdir, "init", "--blueprint", "minimal").returncode == 0
    pid = json.loads(orgstack(workdir, "sandbox", "status", "--format", "json").stdout)["pid"]
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen = orgstack(workdir, "sandbox", "status")
        assert frozen.returncode == 1
        lines = frozen.stdout.splitlines()
        assert lines[0].startswith(
            f"running (pid {pid}) but not responding: AWS at http://127.0.0.1:"
        )
        assert lines[0].endswith("accepted the connection but did not answer within 3 s")
        assert lines[1] == "`orgstack sandbox reset` restarts it."
        planned = orgstack(workdir, "plan", "--sandbox")
        assert planned.returncode == 1 and "did not answer within 3 s" in planned.stderr
    finally:
        os.kill(pid, signal.SIGCONT)
    assert orgstack(workdir, "sandbox", "status").returncode == 0
