"""Where each key and array item of a JSON text stands (line and column, 1-based), by its
path (keys and indexes): what lets a finding in a policy file point at the line to fix. For a
text ``json.loads`` accepted; pure, one pass."""

from __future__ import annotations

JsonPath = tuple[str | int, ...]


def _string_end(text: str, start: int) -> int:
    """The index of the quote that closes the string opened at ``start``."""
    i = start + 1
    while text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i


def json_positions(text: str) -> dict[JsonPath, tuple[int, int]]:
    """Path → (line, column) of every object key and every array item of ``text``."""
    import json

    found: dict[JsonPath, tuple[int, int]] = {}
    # per open container: its path, and (objects) the key being read / (arrays) the next index
    stack: list[tuple[JsonPath, str | int | None, bool]] = []  # (path, slot, is_object)
    path: JsonPath
    expect_key = False
    i, line, line_start = 0, 1, 0

    def mark_value() -> None:
        """An array item starts here: record it and give the next one its index."""
        if stack and not stack[-1][2]:
            path, index, _ = stack[-1]
            assert isinstance(index, int)
            found.setdefault((*path, index), (line, i - line_start + 1))

    while i < len(text):
        char = text[i]
        if char == "\n":
            line, line_start = line + 1, i + 1
        elif char in " \t\r:":
            pass
        elif char == '"':
            end = _string_end(text, i)
            if expect_key and stack and stack[-1][2]:
                key = json.loads(text[i : end + 1])
                path = stack[-1][0]
                stack[-1] = (path, key, True)
                found[(*path, key)] = (line, i - line_start + 1)
                expect_key = False
            else:
                mark_value()
            i = end
        elif char in "{[":
            mark_value()
            parent, slot, _ = stack[-1] if stack else ((), None, True)
            inner: JsonPath = parent if not stack or slot is None else (*parent, slot)
            stack.append((inner, None if char == "{" else 0, char == "{"))
            expect_key = char == "{"
        elif char in "}]":
            stack.pop()
        elif char == ",":
            if stack and stack[-1][2]:
                expect_key = True
            elif stack:
                path, index, _ = stack[-1]
                stack[-1] = (path, int(index or 0) + 1, False)
        else:  # a number, true, false or null
            mark_value()
            while i + 1 < len(text) and text[i + 1] not in ",]}\n \t\r":
                i += 1
        i += 1
    return found
