"""Shared fixtures: fake AWS credentials everywhere, and a helper that writes spec files."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteFiles = Callable[..., Path]

#: Graphviz and Chromium as the set-up installs them (scripts/report-tools.sh): first on PATH,
#: as `make unit` puts them, so that `pytest` alone finds them too.
TOOLS_BIN = (
    Path(os.environ.get("ORGSTACK_TOOLS", Path(__file__).parents[1] / ".cache/tools")) / "bin"
)
if TOOLS_BIN.is_dir() and str(TOOLS_BIN) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = f"{TOOLS_BIN}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach real AWS: fake keys, a fixed Region, no profile or endpoint."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside an empty directory, with the sandbox state kept there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ORGSTACK_STATE_DIR", str(tmp_path / ".orgstack"))
    return tmp_path


@pytest.fixture
def write_files(in_tmp: Path) -> WriteFiles:
    """Write ``name=text`` files (dedented) into the test directory; returns the directory."""

    def write(**files: str) -> Path:
        for name, text in files.items():
            path = in_tmp / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return in_tmp

    return write


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; its exit code, stdout and stderr."""
    from orgstack.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
