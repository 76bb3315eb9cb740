"""Policy documents kept in JSON files beside the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orgstack.errors import Problem
from orgstack.spec.yamlread import Located, Pos


def policy_document(
    located: Located, path: tuple[str, ...], file: str | None, content: Any, problems: list[Problem]
) -> Any:
    """The document at ``path`` of the spec: ``content``, or the JSON in ``file`` (None, with
    a problem, when that file is missing or invalid)."""
    if file is None:
        return content
    label = ".".join(path) + ".file"
    return read_policy_file(located.value_pos((*path, "file")), file, label, problems)


def read_policy_file(pos: Pos, name: str, label: str, problems: list[Problem]) -> Any:
    """The JSON object in the policy file ``name`` (relative to the spec file at ``pos``); a
    missing file or invalid JSON is a problem at its own position, and None."""
    file = Path(pos.file).parent / name
    try:
        text = file.read_text(encoding="utf-8")
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
    return document
