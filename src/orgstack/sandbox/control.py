"""Start, inspect, reset and stop the background sandbox process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orgstack.errors import SandboxError
from orgstack.sandbox.state import (
    SERVER_MODULE,
    STATE_FILE,
    SandboxState,
    read_state,
    state_dir,
)

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def start(
    directory: Path | None = None,
    *,
    with_organization: bool = False,
    port: int = 0,
    enforce_iam: bool = False,
) -> tuple[SandboxState, bool]:
    """Start the sandbox unless one runs here already; returns it and whether it is new."""
    directory = directory or state_dir()
    current = read_state(directory)
    if current is not None and current.is_alive():
        return current, False
    directory.mkdir(parents=True, exist_ok=True)
    (directory / STATE_FILE).unlink(missing_ok=True)
    log_file = directory / "sandbox.log"
    command = [sys.executable, "-m", SERVER_MODULE, "--state-dir", str(directory)]
    command += ["--port", str(port), "--log-file", str(log_file)]
    if with_organization:
        command.append("--with-organization")
    if enforce_iam:
        command.append("--enforce-iam")
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # survives the CLI; ended by `sandbox stop`
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        state = read_state(directory)
        if state is not None and state.pid == process.pid:
            return state, True
        if process.poll() is not None:
            raise SandboxError(
                f"the sandbox exited while starting (code {process.returncode}):\n"
                + _tail(log_file),
                f"See {log_file}; `--port 0` picks a free port.",
            )
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise SandboxError(
        f"the sandbox did not become ready within {START_TIMEOUT_S:.0f} s",
        f"See {log_file}.",
    )


def stop(directory: Path | None = None) -> SandboxState | None:
    """Stop the sandbox recorded here and wait for its process to end; None if none ran."""
    directory = directory or state_dir()
    state = read_state(directory)
    if state is None:
        return None
    if state.is_alive():
        _terminate(state.pid)
    (directory / STATE_FILE).unlink(missing_ok=True)
    return state


def _terminate(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _exists(pid):
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    while _exists(pid):
        time.sleep(0.05)


def _exists(pid: int) -> bool:
    try:
        # Reap it if it is our child; otherwise just probe it.
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (
        status.exists() and "State:\tZ" in status.read_text(encoding="utf-8", errors="replace")
    )


def reset(directory: Path | None = None, *, with_organization: bool | None = None) -> SandboxState:
    """Restart the sandbox with empty state, on the same port when possible.

    A restart rather than moto's reset endpoint: after that reset, calls from former member
    accounts fail with HTTP 500 (see the sandbox notes).
    """
    directory = directory or state_dir()
    previous = stop(directory)
    keep_org = previous.with_organization if previous else False
    org = keep_org if with_organization is None else with_organization
    enforce = previous.enforce_iam if previous else False
    port = previous.port if previous else 0
    try:
        state, _ = start(directory, with_organization=org, port=port, enforce_iam=enforce)
    except SandboxError:
        state, _ = start(directory, with_organization=org, port=0, enforce_iam=enforce)
    return state


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
