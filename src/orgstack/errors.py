"""Errors orgstack raises on purpose, and the exit codes the CLI maps them to.

Exit codes (also in the README):

- ``0`` OK: the command succeeded; with ``--detailed-exitcode``, there are no changes.
- ``1`` ERROR: bad input, an AWS or network fault, error-severity findings, or a usage error.
- ``2`` CHANGES: only with ``--detailed-exitcode``: the plan holds changes.
- ``3`` PENDING: an apply in which nothing failed but some changes wait on AWS (a state it has
  not finished, e.g. a RAM share not yet visible); `apply --resume` later continues them.
- ``130`` INTERRUPTED: Ctrl-C; an interrupted apply says how to resume it.

Every ``OrgstackError`` carries a message (what is wrong) and a hint (what to do next). The CLI
prints both and no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; see the module docstring."""

    OK = 0
    ERROR = 1
    CHANGES = 2
    PENDING = 3
    INTERRUPTED = 130


class OrgstackError(Exception):
    """Base of every error orgstack reports to the user."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, order=True)
class Problem:
    """One precise problem in an input file, reported as ``file:line:column: message``."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class SpecError(OrgstackError):
    """The spec could not be loaded: one or more problems, each with its position."""

    def __init__(self, problems: list[Problem], hint: str = "", report: object = None) -> None:
        self.problems = sorted(set(problems))
        #: ``validate``'s rule report on the parts of the spec without problems, if any.
        self.report = report
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"{count} {noun} in the spec:\n" + "\n".join(str(p) for p in self.problems),
            hint or "Fix the problems above; `orgstack schema` prints every allowed key.",
        )


class SpecNotFoundError(OrgstackError):
    """No spec at the given path or at the default locations."""


class SandboxError(OrgstackError):
    """The local sandbox emulator could not be started, reached or stopped."""


class UsageError(OrgstackError):
    """The command line asks for something that cannot be done."""


class OutputError(OrgstackError):
    """A file orgstack was asked to write cannot be written."""


@contextmanager
def writing(path: object) -> Iterator[None]:
    """Turn a failed write of ``path`` into a clear error (no traceback)."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"cannot write {path}: {reason}",
            "Choose a path in a directory that exists and that you may write to.",
        ) from None
