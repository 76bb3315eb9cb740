"""Where a running sandbox is recorded, and the environment that points AWS clients at it.

This module imports neither moto nor boto3, so commands can honour ``--sandbox`` cheaply.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from orgstack.errors import SandboxError

STATE_DIR_ENV = "ORGSTACK_STATE_DIR"
STATE_FILE = "sandbox.json"
#: moto's default account: the sandbox's management account.
MANAGEMENT_ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
SERVER_MODULE = "orgstack.sandbox.server"


def local_state_dir() -> Path:
    """Where applies keep their journal and plan copies: ``$ORGSTACK_STATE_DIR``, else
    ``./.orgstack`` — never a folder above (a real-AWS apply must not resume or list another
    project's journal). An absolute path."""
    explicit = os.environ.get(STATE_DIR_ENV)
    return Path(explicit).resolve() if explicit else Path.cwd().resolve() / ".orgstack"


def private_dir(path: Path) -> Path:
    """``path`` made if missing, readable by its owner only (journals, plan copies)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def state_dir() -> Path:
    """Where the sandbox is recorded: ``$ORGSTACK_STATE_DIR``; else the nearest ``.orgstack``
    with a sandbox record in this directory or one above it (as git finds ``.git``: a sandbox
    started at a project's top is found from any folder below); else ``./.orgstack``. An
    absolute path."""
    explicit = os.environ.get(STATE_DIR_ENV)
    if explicit:
        return Path(explicit).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / ".orgstack" / STATE_FILE).is_file():
            return folder / ".orgstack"
    return here / ".orgstack"


@dataclass(frozen=True)
class SandboxState:
    """A running sandbox: its process and where it listens."""

    pid: int
    port: int
    with_organization: bool
    log_file: str
    #: Whether the sandbox checks AssumeRole against trust and identity policies.
    enforce_iam: bool = False

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The variables that send any AWS SDK or CLI to the sandbox, with dummy credentials."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
        }

    def is_alive(self) -> bool:
        """True when the recorded process is still our sandbox server (not a reused pid)."""
        try:
            cmdline = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            try:
                os.kill(self.pid, 0)
            except OSError:
                return False
            return True
        return SERVER_MODULE.encode() in cmdline


def write_state(directory: Path, state: SandboxState) -> None:
    private_dir(directory)
    tmp = directory / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(directory / STATE_FILE)


def read_state(directory: Path | None = None) -> SandboxState | None:
    """The recorded sandbox, or None when none was started here."""
    path = (directory or state_dir()) / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return SandboxState(**raw)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise SandboxError(
            f"{path} is not a sandbox record ({exc})",
            "Delete it, then run `orgstack sandbox start`.",
        ) from None


def running_state(directory: Path | None = None) -> SandboxState:
    """The running sandbox, or a SandboxError saying how to start one."""
    state = read_state(directory)
    if state is None or not state.is_alive():
        raise SandboxError("no sandbox is running here", "Start one with `orgstack sandbox start`.")
    return state
