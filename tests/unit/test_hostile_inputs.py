"""Hostile and broken inputs: every one ends in a clear ``Error:`` (file:line where there is
one), exit 1, no traceback, no hang (each case is cut off after 5 s)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli

ORG = "organization: {name: acme, home_region: us-east-1}\n"


def _bomb(levels: int = 9) -> str:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return ORG + "\n".join(lines) + "\n"


def _write(text: str | bytes) -> Callable[[Path], str]:
    def make(directory: Path) -> str:
        path = directory / "spec.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def _fifo(directory: Path) -> str:
    os.mkfifo(directory / "pipe.yaml")
    return str(directory / "pipe.yaml")


def _loop(directory: Path) -> str:
    (directory / "a.yaml").symlink_to(directory / "b.yaml")
    (directory / "b.yaml").symlink_to(directory / "a.yaml")
    return str(directory / "a.yaml")


def _dangling(directory: Path) -> str:
    (directory / "gone.yaml").symlink_to(directory / "missing.yaml")
    return str(directory / "gone.yaml")


def _empty_dir(directory: Path) -> str:
    (directory / "specs").mkdir()
    (directory / "specs" / "notes.txt").write_text("no yaml here")
    return str(directory / "specs")


def _huge(directory: Path) -> str:
    path = directory / "huge.yaml"
    with path.open("w") as handle:
        handle.write(ORG)
        line = "# " + "x" * 1022 + "\n"
        for _ in range(17 * 1024):
            handle.write(line)
    return str(path)


CASES: dict[str, tuple[Callable[[Path], str], str | None]] = {
    "alias bomb": (_write(_bomb()), "aliases expand to more than 10,000 copies"),
    "alias bomb in a merge key": (
        _write(_bomb(6) + "m: {<<: *l5}\n"),
        "aliases expand to more than 10,000 copies",
    ),
    "recursive list alias": (_write(ORG + "x: &x [1, *x]\n"), "recursive alias"),
    "recursive mapping alias": (_write("organization: &o {name: a, me: *o}\n"), "recursive alias"),
    "undefined alias": (_write(ORG + "x: *nowhere\n"), "YAML syntax error"),
    "bell character": (_write(ORG.replace("acme", "ac\x07me")), "control character #x0007"),
    "escape character": (_write(ORG + "x: \x1b[31m\n"), "control character #x001b"),
    "NUL byte": (_write(ORG + "x: a\x00b\n"), "control character #x0000"),
    "deep list": (_write(ORG + "x: " + "[" * 5000 + "]" * 5000 + "\n"), "nested too deeply"),
    "deep mapping": (_write(ORG + "x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"), "nested"),
    "70 levels": (_write(ORG + "x: " + "[" * 70 + "]" * 70 + "\n"), "nested more than 64"),
    "huge file": (_huge, "a spec file may be at most 16 MiB"),
    "huge scalar": (_write(ORG + "x: '" + "y" * 1_100_000 + "'\n"), "at most 1,048,576"),
    "huge key": (_write(ORG + "k" * 1_100_000 + ": 1\n"), None),
    "null device": (lambda _d: os.devnull, "is the null device"),
    "zero device": (lambda _d: "/dev/zero", "is a device"),
    "named pipe": (_fifo, "is a named pipe (FIFO)"),
    "symlink loop": (_loop, "loops back on itself"),
    "dangling symlink": (_dangling, "which does not exist"),
    "directory without YAML": (_empty_dir, "no .yaml files in"),
    "missing file": (lambda d: str(d / "nope.yaml"), "no spec at"),
    "Latin-1 bytes": (_write(ORG.encode() + b"x: caf\xe9\n"), "not UTF-8 text"),
    "UTF-16": (_write(ORG.encode("utf-16")), None),
    "random bytes": (_write(bytes(range(256)) * 8), None),
    "empty file": (_write(""), "the spec is empty"),
    "only comments": (_write("# nothing\n# here\n"), "the spec is empty"),
    "tab indentation": (_write("organization:\n\tname: acme\n"), "YAML syntax error"),
    "two documents": (_write(ORG + "---\n" + ORG), "one YAML document per file"),
    "top-level list": (_write("- organization\n"), "the top level must be a mapping"),
    "top-level scalar": (_write("hello\n"), "the top level must be a mapping"),
    "list as a key": (_write(ORG + "? [a, b]\n: 1\n"), "a key must be a plain word"),
    "duplicate key": (_write(ORG + ORG), "duplicate key 'organization'"),
    "unterminated quote": (_write("organization: {name: 'acme}\n"), "YAML syntax error"),
    "python tag": (_write(ORG + "x: !!python/object:os.system echo\n"), None),
    "unknown tag": (_write(ORG + "x: !Ref thing\n"), None),
    "CRLF and a wrong type": (_write("organization: 7\r\n"), None),
    "number as a name": (_write("organization: {name: 7, home_region: us-east-1}\n"), None),
    "unknown section": (_write(ORG + "acounts: {}\n"), None),
    "null organization": (_write("organization:\n"), None),
    "accounts as a list": (_write(ORG + "accounts: [a, b]\n"), None),
    "BOM and nothing else": (_write("\ufeff"), None),
    "a million-entry flow list": (_write(ORG + "x: [" + "1," * 1_000_001 + "1]\n"), "values"),
}


@pytest.fixture(autouse=True)
def five_seconds() -> Iterator[None]:
    """A case that hangs fails instead of holding the suite."""

    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError("no answer within 5 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_spec_gets_a_clean_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = CASES[name]
    path = make(tmp_path)
    code, out, err = run_cli(capsys, "validate", "-f", path)
    assert code == 1, (out, err)
    assert err.startswith("Error:"), err[:500]
    assert "Internal error" not in err and "Traceback" not in err
    if expected is not None:
        assert expected in err, err[:500]
    assert len(err) < 20_000  # summarized, never the input dumped back


@pytest.mark.parametrize("command", [["validate"], ["init", "--blueprint", "minimal"]])
@pytest.mark.parametrize("target", ["/proc/x", "/proc/self/x/y", "/dev/full"])
def test_an_output_path_that_cannot_be_written_is_a_clear_error(
    command: list[str], target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "init", "--blueprint", "minimal", "-o", "orgstack.yaml")
    code, _, err = run_cli(
        capsys, *command, "-o", target, *(["--force"] if command[0] == "init" else [])
    )
    assert code == 1
    assert err.splitlines()[0].startswith(f"Error: cannot write {target}: ")
    assert err.splitlines()[1] == (
        "Hint: Choose a path in a directory that exists and that you may write to."
    )


def test_a_policy_file_with_a_duplicate_key_is_refused_at_the_second_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AWS's own "incorrect policy" example: two Statement keys, of which JSON keeps only the
    last (the Deny would never reach AWS)."""
    (tmp_path / "twice.json").write_text(
        '{\n  "Version": "2012-10-17",\n'
        '  "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],\n'
        '  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]\n}\n'
    )
    (tmp_path / "orgstack.yaml").write_text(
        ORG + "policies:\n  twice: {type: service_control, file: twice.json, targets: [root]}\n"
    )
    code, _, err = run_cli(capsys, "validate", "-f", str(tmp_path / "orgstack.yaml"))
    assert code == 1
    assert (
        f'{tmp_path / "twice.json"}:4:3: duplicate key "Statement" (first at line 3); JSON '
        "parsers keep only the last one, so the first would be silently dropped"
    ) in err.splitlines()
