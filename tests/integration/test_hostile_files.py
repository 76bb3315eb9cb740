"""What orgstack reads, writes and waits on, tried as a hostile or careless user would: policy
files outside the spec's folder (a path or a symlink), a FIFO, a device, one over 16 MiB;
output to /dev/null or a FIFO; state files readable by others; a .orgstack of a folder above;
an endpoint that accepts and never answers."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.spec.loader import load_spec
from tests.unit.rules.helpers import spec

POLICY = "policies:\n  guard: {type: service_control, file: '%s', targets: [root]}\n"


def problems(tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / "orgstack.yaml"
    path.write_text(spec(POLICY % name))
    with pytest.raises(SpecError) as error:
        load_spec(path)
    return [p.message for p in error.value.problems]


def test_policy_files_stay_inside_the_specs_folder(tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text('{"Version": "2012-10-17", "Statement": []}')
    inner = tmp_path / "spec"
    inner.mkdir()
    (inner / "sneaky.json").symlink_to(tmp_path / "outside.json")
    assert problems(inner, "../outside.json") == [
        f"policies.guard.file: ../outside.json is outside the spec's folder {inner}; policy "
        "files live beside the spec or below it"
    ]
    assert problems(inner, "sneaky.json")[0].startswith(
        "policies.guard.file: sneaky.json is outside"
    )
    assert problems(inner, "/dev/zero")[0].startswith("policies.guard.file: /dev/zero is outside")


def test_a_fifo_a_directory_and_a_huge_policy_file_are_refused_without_reading(
    tmp_path: Path,
) -> None:
    os.mkfifo(tmp_path / "pipe.json")  # reading it would block forever
    (tmp_path / "folder.json").mkdir()
    with (tmp_path / "huge.json").open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: no disk used
    assert problems(tmp_path, "pipe.json") == [
        "policies.guard.file: pipe.json is not a regular file"
    ]
    assert problems(tmp_path, "folder.json") == [
        "policies.guard.file: folder.json is not a regular file"
    ]
    assert problems(tmp_path, "huge.json") == [
        "policies.guard.file: huge.json is 17.0 MiB; a policy file may be at most 16 MiB"
    ]


def test_a_spec_that_is_a_device_or_fifo_is_refused(tmp_path: Path) -> None:
    from orgstack.errors import OrgstackError

    os.mkfifo(tmp_path / "spec.yaml")
    with pytest.raises(OrgstackError) as device:
        load_spec(Path("/dev/zero"))
    assert device.value.message == "/dev/zero is a device, not a spec file"
    with pytest.raises(OrgstackError) as fifo:
        load_spec(tmp_path / "spec.yaml")
    assert fifo.value.message == f"{tmp_path / 'spec.yaml'} is a named pipe (FIFO), not a spec file"
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "org.yaml").write_text(spec())
    os.mkfifo(folder / "more.yaml")  # inside a spec folder: not a spec file, never opened
    (folder / "zero.yaml").symlink_to("/dev/zero")
    assert load_spec(folder).organization.name == "acme"


def test_output_into_a_device_or_fifo_writes_into_it_and_leaves_it_be(tmp_path: Path) -> None:
    from orgstack.cli.report_cmds import _write
    from orgstack.plan.planfile import write_plan

    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _write(b"<svg/>", str(fifo))
    reader.join(5)
    assert got == [b"<svg/>"] and stat.S_ISFIFO(fifo.stat().st_mode)
    _write(b"x", "/dev/null")
    write_plan(Path("/dev/null"), {"a": 1})
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_state_is_private_and_only_this_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgstack.apply.journal import Journal
    from orgstack.plan.planfile import write_plan
    from orgstack.sandbox.state import STATE_DIR_ENV, local_state_dir, state_dir

    monkeypatch.delenv(STATE_DIR_ENV, raising=False)
    (tmp_path / ".orgstack").mkdir()
    (tmp_path / ".orgstack" / "sandbox.json").write_text("{}")
    below = tmp_path / "project"
    below.mkdir()
    monkeypatch.chdir(below)
    assert state_dir() == tmp_path / ".orgstack"  # the sandbox is found from below
    assert local_state_dir() == below / ".orgstack"  # an apply's journal never is
    journal = Journal(local_state_dir() / "journal", "a" * 32)
    journal.append("apply")
    write_plan(journal.plan_path, {"plan_id": "a" * 32})
    modes = {
        p.name: stat.S_IMODE(p.stat().st_mode)
        for p in (below / ".orgstack", journal.path.parent, journal.path, journal.plan_path)
    }
    assert modes == {
        ".orgstack": 0o700,
        "journal": 0o700,
        f"{'a' * 32}.jsonl": 0o600,
        f"{'a' * 32}.plan.json": 0o600,
    }


def test_a_slow_endpoint_is_reported_while_it_runs_and_given_up_within_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An endpoint that accepts and answers the probe but never an API call: every SLOW_S the
    listener hears of it; after CALL_BUDGET_S (retries included) the call fails in one line
    (it was ten silent minutes per call)."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from orgstack.aws import context as aws_context
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.aws.errors import AwsError

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the probe
            self.send_response(200)
            self.end_headers()

        def do_POST(self) -> None:  # every API call
            time.sleep(30)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(aws_context, "READ_TIMEOUT_S", 0.4)
    monkeypatch.setattr(aws_context, "CALL_BUDGET_S", 1.5)
    monkeypatch.setattr(aws_context, "SLOW_S", 0.6)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    try:
        context = AwsContext(
            AwsOptions(
                endpoint_url=f"http://127.0.0.1:{server.server_address[1]}", region="us-east-1"
            )
        )
        heard: list[tuple[str, float]] = []
        context.on_slow(lambda op, s: heard.append((op, s)))
        started = time.monotonic()
        with pytest.raises(AwsError) as error:
            context.call(context.client("sts"), "get_caller_identity")
        took = time.monotonic() - started
    finally:
        server.shutdown()
    assert error.value.message.startswith(
        "AWS did not answer (get_caller_identity): sts.GetCallerIdentity got no answer in "
    )
    assert error.value.code == "CallTooSlow"
    assert took < 5
    assert heard and heard[0][0] == "sts.GetCallerIdentity"
