"""OU paths: OU names joined by ``/``, where a name may itself hold ``/`` or ``\\``.

AWS allows any character in an OU name (``Dev/Test`` included), so a path escapes the two
characters inside a name: ``\\/`` is a slash of the name, ``\\\\`` a backslash of the name, and
a bare ``/`` separates names. ``Workloads/Dev\\/Test`` is the OU ``Dev/Test`` under
``Workloads``. The same escaping keeps account names with ``/`` whole in the addresses of the
kinds (``alternate-contact:<account>/<type>``).
"""

from __future__ import annotations


def escape(name: str) -> str:
    """``name`` as one segment of a path."""
    return name.replace("\\", "\\\\").replace("/", "\\/")


def join(parent: str, name: str) -> str:
    """The path of the OU ``name`` under ``parent`` (``""`` for the root)."""
    return f"{parent}/{escape(name)}" if parent else escape(name)


def raw_segments(path: str) -> list[str]:
    """The segments of ``path`` as written (still escaped)."""
    if "\\" not in path:  # nothing escaped (nearly always): the fast way
        return path.split("/")
    parts: list[str] = []
    current: list[str] = []
    chars = iter(path)
    for char in chars:
        if char == "\\":
            current += [char, next(chars, "")]
        elif char == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unescape(segment: str) -> str:
    if "\\" not in segment:
        return segment
    out: list[str] = []
    chars = iter(segment)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def names(path: str) -> list[str]:
    """The OU names along ``path``, unescaped: ``a/b\\/c`` → ``["a", "b/c"]``."""
    return [unescape(s) for s in raw_segments(path)]


def ancestors(path: str) -> list[str]:
    """``path`` and every path above it, top first: ``a/b/c`` → ``a``, ``a/b``, ``a/b/c``."""
    parts = raw_segments(path)
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def parent(path: str) -> str:
    """The parent's path, or ``""`` at the top."""
    return "/".join(raw_segments(path)[:-1])


def within(path: str, above: str) -> bool:
    """True when ``path`` is ``above`` or below it."""
    return above in ancestors(path)
