"""Policy documents kept in JSON files beside the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orgstack.errors import Problem
from orgstack.spec.jsonpos import JsonPath, json_positions
from orgstack.spec.yamlread import Located, Pos

#: The same bound as a spec file's (spec/loader.py): AWS's largest policy is 10 KiB.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Where each part of a policy document was written: its JSON path → (file, line, column).
Positions = dict[JsonPath, tuple[str, int, int]]


def policy_document(
    located: Located,
    path: tuple[str, ...],
    file: str | None,
    content: Any,
    problems: list[Problem],
    positions: Positions | None = None,
) -> Any:
    """The document at ``path`` of the spec: ``content``, or the JSON in ``file`` (None, with
    a problem, when that file is missing or invalid); ``positions``, when given, receives
    where each of its parts was written."""
    if file is None:
        if positions is not None:
            _inline_positions(located, (*path, "content"), content, (), positions)
        return content
    label = ".".join(path) + ".file"
    return read_policy_file(located.value_pos((*path, "file")), file, label, problems, positions)


def _inline_positions(
    located: Located, at: tuple[Any, ...], value: Any, json_path: JsonPath, out: Positions
) -> None:
    """The positions of inline content, from the spec's own (keys of objects, items of lists)."""
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        where = (
            located.key_pos((*at, key)) if isinstance(key, str) else located.value_pos((*at, key))
        )
        out[(*json_path, key)] = (where.file, where.line, where.column)
        _inline_positions(located, (*at, key), item, (*json_path, key), out)


def read_policy_file(
    pos: Pos, name: str, label: str, problems: list[Problem], positions: Positions | None = None
) -> Any:
    """The JSON object in the policy file ``name`` (relative to the spec file at ``pos``); a
    missing file or invalid JSON is a problem at its own position, and None."""
    base = Path(pos.file).parent
    file = base / name
    try:
        inside = file.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        problems.append(
            pos.problem(
                f"{label}: {name} is outside the spec's folder {base}; policy files live "
                "beside the spec or below it"
            )
        )
        return None
    if file.exists() and not file.is_file():
        problems.append(pos.problem(f"{label}: {name} is not a regular file"))
        return None
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                pos.problem(
                    f"{label}: {name} is {size / 1048576:.1f} MiB; a policy file may be at "
                    f"most {MAX_FILE_BYTES // 1048576} MiB"
                )
            )
            return None
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(file), 1, 1, f"not UTF-8 text ({exc.reason})"))
        return None
    except OSError:
        problems.append(pos.problem(f"{label}: no file {name} (looked for {file})"))
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(str(file), exc.lineno, exc.colno, f"invalid JSON: {exc.msg}"))
        return None
    if not isinstance(document, dict):
        problems.append(Problem(str(file), 1, 1, "a policy document must be a JSON object"))
        return None
    duplicates = duplicate_keys(text)
    for line, column, key, first in duplicates:
        problems.append(
            Problem(
                str(file),
                line,
                column,
                f'duplicate key "{key}" (first at line {first}); JSON parsers keep only the '
                "last one, so the first would be silently dropped",
            )
        )
    if positions is not None and not duplicates:
        positions.update(
            {key: (str(file), line, column) for key, (line, column) in json_positions(text).items()}
        )
    return None if duplicates else document


def duplicate_keys(text: str) -> list[tuple[int, int, str, int]]:
    """Every key that repeats in its own JSON object: (line, column, key, first line), for a
    text ``json.loads`` accepted."""
    found: list[tuple[int, int, str, int]] = []
    stack: list[dict[str, int] | None] = []  # per open container: keys seen (None: a list)
    expect_key = False
    i, line, line_start = 0, 1, 0
    while i < len(text):
        char = text[i]
        if char == "\n":
            line, line_start = line + 1, i + 1
        elif char == '"':
            start, i = i, i + 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                key = json.loads(text[start : i + 1])
                if key in keys:
                    found.append((line, start - line_start + 1, key, keys[key]))
                else:
                    keys[key] = line
                expect_key = False
        elif char == "{":
            stack.append({})
            expect_key = True
        elif char == "[":
            stack.append(None)
        elif char in "}]":
            stack.pop()
        elif char == ",":
            expect_key = bool(stack) and stack[-1] is not None
        i += 1
    return found
