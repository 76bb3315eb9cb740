"""A policy or trust document's change as lines a person reads: the JSON, keys sorted and
indented, as a unified diff with one line of context (like Terraform's JSON diff)."""

from __future__ import annotations

import difflib
import json
from typing import Any

#: Values that are policy documents (SCP content, trusts, group and inline policies).
DOCUMENTS = frozenset({"content", "trust", "assume", "inline", "document", "policy"})
#: A diff longer than this is cut, saying how many lines were left out.
MAX_LINES = 40


def _lines(document: Any) -> list[str]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return str(document).splitlines()
    if document is None:
        return []
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def document_diff(before: Any, after: Any) -> list[str]:
    """``-``/``+`` lines (and a little context) from ``before`` to ``after``."""
    found = [
        line
        for line in difflib.unified_diff(_lines(before), _lines(after), lineterm="", n=1)
        if not line.startswith(("---", "+++"))
    ]
    if len(found) > MAX_LINES:
        found = [*found[:MAX_LINES], f"… {len(found) - MAX_LINES} more lines"]
    return found


def change_diffs(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The diff of every document a change updates, each under its key's name."""
    before, after = before or {}, after or {}
    lines: list[str] = []
    for key in sorted(DOCUMENTS & set(after) & set(before)):
        diff = document_diff(before[key], after[key])
        if diff:
            lines += [f"{key}:", *diff]
    return lines
