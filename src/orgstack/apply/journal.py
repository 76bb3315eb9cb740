"""The apply journal: each change's start and result, appended and fsynced, no secrets.

``<state dir>/journal/<plan-id>.jsonl`` beside a copy of the plan (``<plan-id>.plan.json``).
Records: ``start``, ``request`` (a CreateAccount request id: the key to never creating an
account twice), ``done`` (with the live id created), ``failed``, ``skipped``, ``finished``.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class JournalState:
    """What a journal says happened: changes started, done (with results), requests in flight."""

    started: set[int] = field(default_factory=set)
    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: dict[int, str] = field(default_factory=dict)
    finished: bool = False
    #: Lines (1-based) that are not records, before the last line (a crash tears only the
    #: last): the journal cannot say what happened; resume refuses, list and abandon work.
    damaged: list[int] = field(default_factory=list)


class Journal:
    """An append-only JSONL file; every record is on disk before the call that follows it."""

    def __init__(self, directory: Path, plan_id: str) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        directory.chmod(0o700)
        if directory.parent.name == ".orgstack":
            directory.parent.chmod(0o700)
        self.path = directory / f"{plan_id}.jsonl"
        self.plan_path = directory / f"{plan_id}.plan.json"
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def append(self, event: str, **fields: Any) -> None:
        record = {
            "event": event,
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            **fields,
        }
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

    def _read(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The records, and the numbers of lines that are none (a torn last line excepted)."""
        try:
            text = self.path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return [], []
        lines = text.splitlines()
        found, bad = [], []
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            valid = isinstance(record, dict) and isinstance(record.get("event"), str)
            if valid and isinstance(record, dict):
                index = record.get("index", -1)
                valid = isinstance(index, int) and not isinstance(index, bool)
            if valid and isinstance(record, dict):
                found.append(record)
            elif number < len(lines):
                bad.append(number)
        return found, bad

    def records(self) -> list[dict[str, Any]]:
        return self._read()[0]

    def state(self) -> JournalState:
        records, bad = self._read()
        state = JournalState(damaged=bad)
        for record in records:
            index = int(record.get("index", -1))
            match record["event"]:
                case "start":
                    state.started.add(index)
                case "request":
                    state.requests[index] = record["request_id"]
                case "done":
                    result = record.get("result")
                    state.done[index] = result if isinstance(result, dict) else {}
                case "finished" | "abandoned":
                    state.finished = True
        return state


def unfinished(directory: Path) -> list[Journal]:
    """Journals of applies that neither finished nor were abandoned, most recent first."""
    if not directory.is_dir():
        return []
    candidates = sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True)
    journals = [Journal(directory, path.stem) for path in candidates]
    return [j for j in journals if not j.state().finished and j.plan_path.exists()]


def latest_unfinished(directory: Path) -> Journal | None:
    """The most recent journal whose apply did not finish, for ``apply --resume``."""
    found = unfinished(directory)
    return found[0] if found else None


def describe(journal: Journal) -> dict[str, Any]:
    """What ``apply --list`` shows of an unfinished apply, from its journal and plan copy."""
    try:
        plan = json.loads(journal.plan_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        plan = {}
    if not isinstance(plan, dict):
        plan = {}
    records = journal.records()
    state = journal.state()
    return {
        "plan_id": journal.path.stem,
        "created_at": plan.get("created_at"),
        "spec": plan.get("spec"),
        "started_at": records[0].get("at") if records else None,
        "done": len(state.done),
        "changes": len(plan.get("changes", [])) if isinstance(plan.get("changes"), list) else 0,
        "journal": str(journal.path),
        "damaged": state.damaged,
    }
