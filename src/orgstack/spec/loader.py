"""Find and read a spec (one file or a directory of YAML files), validate it and compile it."""

from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from orgstack.errors import Problem, SpecError, SpecNotFoundError
from orgstack.model import OrgModel
from orgstack.spec.messages import problems_from
from orgstack.spec.schema import spec_model
from orgstack.spec.yamlread import Located, Pos, read_yaml

#: The largest spec file read (10,000 accounts take about 2 MiB).
MAX_FILE_BYTES = 16 * 1024 * 1024
DEFAULT_FILE = "orgstack.yaml"
DEFAULT_DIR = "orgstack"
MERGED_SECTIONS = ("organizational_units", "accounts", "policies")


def find_spec_path(path: str | None, cwd: FsPath | None = None) -> FsPath:
    """The spec to read: ``path``, else ./orgstack.yaml, else ./orgstack/."""
    base = cwd or FsPath.cwd()
    if path is not None:
        candidate = FsPath(path)
        what = not_a_spec(candidate if candidate.is_absolute() else base / candidate)
        if what is not None:
            raise SpecNotFoundError(
                f"{path} {what}", "Pass -f with a YAML file or a directory of YAML files."
            )
        if not (candidate if candidate.is_absolute() else base / candidate).exists():
            raise SpecNotFoundError(
                f"no spec at {path}", "Pass -f with an existing file or directory."
            )
        return candidate
    for name in (DEFAULT_FILE, DEFAULT_DIR):
        if (base / name).exists():
            return FsPath(name)
    raise SpecNotFoundError(
        f"no {DEFAULT_FILE} or {DEFAULT_DIR}/ in {base}",
        "Run `orgstack init` to write one, or pass -f PATH.",
    )


def not_a_spec(path: FsPath) -> str | None:
    """What ``path`` is when it cannot be a spec (a device, a pipe, a looping link…), else
    None (a file or a directory, or nothing at all: the caller says so)."""
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        if path.is_symlink():
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        return None
    if str(path) == os.devnull:
        return "is the null device (always empty), not a spec"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a spec file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a spec file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a spec file"
    return None


def spec_files(path: FsPath) -> list[FsPath]:
    """The YAML files of a spec, in a stable order (hidden folders skipped)."""
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    if not files:
        raise SpecNotFoundError(f"no .yaml files in {path}/", "Put the spec's YAML files there.")
    return files


def read_located(path: FsPath) -> tuple[Located, list[Problem], bool]:
    """Read every file of the spec and merge them into one located document.

    The flag says whether every file could be parsed; when one could not, checking the
    merged document would only report consequences of that file's absence.
    """
    merged = Located({}, values={(): Pos(str(path), 1, 1)})
    problems: list[Problem] = []
    complete = True
    for file in spec_files(path):
        text = _read_text(file, problems)
        if text is None:
            complete = False
            continue
        located, found = read_yaml(text, str(file))
        problems.extend(found)
        if located.data is None and found:
            complete = False
            continue
        if located.data is None:
            if path.is_file():
                problems.append(
                    Problem(str(file), 1, 1, "the spec is empty; it needs at least 'organization:'")
                )
                complete = False
            continue
        if not isinstance(located.data, dict):
            pos = located.value_pos(())
            problems.append(
                pos.problem("the top level must be a mapping (organization:, accounts:, …)")
            )
            complete = False
            continue
        _merge(merged, located, problems)
    return merged, problems, complete


def _read_text(file: FsPath, problems: list[Problem]) -> str | None:
    try:
        if not file.is_file():  # a FIFO would block, a device never end
            problems.append(Problem(str(file), 1, 1, "not a regular file"))
            return None
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    str(file),
                    1,
                    1,
                    f"the file is {size / 1048576:.1f} MiB; a spec file may be at most "
                    f"{MAX_FILE_BYTES // 1048576} MiB (split it into a directory of files)",
                )
            )
            return None
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(file), 1, 1, f"not UTF-8 text ({exc.reason})"))
    except OSError as exc:
        problems.append(Problem(str(file), 1, 1, f"cannot read: {exc.strerror}"))
    return None


def _merge(into: Located, part: Located, problems: list[Problem]) -> None:
    """Merge a file into the spec; an object defined twice names both places."""
    data: dict[str, Any] = into.data
    if not data:  # the first file (a one-file spec): nothing to clash with, taken whole
        data.update(part.data)
        into.keys.update(part.keys)
        into.values.update((p, v) for p, v in part.values.items() if p)
        return
    positions = _Positions(part)
    for key, value in part.data.items():
        if key in MERGED_SECTIONS and isinstance(value, dict) and isinstance(data.get(key), dict):
            for name, item in value.items():
                path = (key, name)
                if name in data[key]:
                    first = into.keys[path]
                    problems.append(
                        part.keys[path].problem(
                            f"{key}.{name} is defined twice: here and at "
                            f"{first.file}:{first.line}:{first.column}"
                        )
                    )
                    continue
                data[key][name] = item
                positions.copy(into, path)
            continue
        if key in data:
            first = into.keys[(key,)]
            problems.append(
                part.keys[(key,)].problem(
                    f"'{key}' is defined twice: here and at "
                    f"{first.file}:{first.line}:{first.column}"
                )
            )
            continue
        data[key] = value
        positions.copy(into, (key,))


class _Positions:
    """A file's positions grouped by their section (``accounts``) and item (``accounts``,
    ``web``) once, so that merging copies each group (not a scan of every position per item:
    quadratic in a file of thousands of accounts)."""

    def __init__(self, part: Located) -> None:
        self.groups: dict[tuple[Any, ...], tuple[dict[Any, Any], dict[Any, Any]]] = {}
        for index, table in enumerate((part.keys, part.values)):
            for path, pos in table.items():
                for size in (1, 2)[: len(path)]:
                    self.groups.setdefault(path[:size], ({}, {}))[index][path] = pos

    def copy(self, into: Located, prefix: tuple[str, ...]) -> None:
        keys, values = self.groups.get(prefix, ({}, {}))
        into.keys.update(keys)
        into.values.update(values)


def load_spec(path: str | FsPath | None = None) -> OrgModel:
    """Load, validate and compile the spec at ``path`` (see ``find_spec_path``)."""
    model, problems = load_partial(path)
    if problems or model is None:
        raise SpecError(problems)
    return model


def load_partial(path: str | FsPath | None = None) -> tuple[OrgModel | None, list[Problem]]:
    """Every problem of the spec at ``path``, and the model of what has none (None when the
    problems leave nothing to compile: a file that does not parse, a broken organization).

    Items the schema refuses are cut out (``spec.partial``) and the rest is compiled, so the
    schema's and the references' problems come in one run, and the rules can run on the rest.
    """
    from orgstack.spec.compile import compile_partial
    from orgstack.spec.partial import without_refused

    spec_path = find_spec_path(str(path) if path is not None else None)
    located, problems, complete = read_located(spec_path)
    if not complete:
        return None, problems
    schema = spec_model()
    try:
        spec = schema.model_validate(located.data)
        broken = None
    except ValidationError as exc:
        problems += problems_from(exc, located)
        left = without_refused(located.data, exc)
        if left is None:
            return None, problems
        try:
            spec = schema.model_validate(left[0])
        except ValidationError:
            return None, problems
        broken = left[1]
    model, found = compile_partial(spec, located, broken)
    return model, problems + found
