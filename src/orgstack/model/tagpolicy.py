"""The grammar of organization policies built from inheritance operators (tag policies first):
value-setting operators (@@assign, @@append, @@remove) and child-control operators
(@@operators_allowed_for_child_policies), as AWS documents them. Pure; the rules use it.

Each problem comes with the JSON path of the part to fix (keys and indexes)."""

from __future__ import annotations

from collections.abc import Iterator

TAG_KEYS = {"tag_key", "tag_value", "enforced_for", "report_required_tag_for"}
CHILD = "@@operators_allowed_for_child_policies"
VALUE_OPERATORS = {"@@assign", "@@append", "@@remove"}
CHILD_VALUES = {"@@all", "@@none", *VALUE_OPERATORS}
#: AWS's longest tag key.
TAG_KEY_LENGTH = 128

Path = tuple[str | int, ...]


def child_problems(path: Path, where: str, value: object) -> Iterator[tuple[Path, str]]:
    """What is wrong with a child-control list (``where``, when given, prefixes the message)."""
    prefix = f"{where}: " if where else ""
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        yield path, f"{prefix}{CHILD} must be a list of operators"
        return
    for item in sorted(set(value) - CHILD_VALUES):
        allowed = ", ".join(sorted(CHILD_VALUES))
        yield path, f"{prefix}{CHILD} has unknown operator {item!r} (allowed: {allowed})"


_child = child_problems


def _tag_key(path: Path, name: str, where: str, value: object) -> Iterator[tuple[Path, str]]:
    """A tag's ``tag_key``: only @@assign, the key's spelling, the policy's key but for case,
    at most 128 characters (AWS's tag key length)."""
    assert isinstance(value, dict)
    if set(value) & {"@@append", "@@remove"}:
        yield path, f"{where} takes only @@assign"
    if "@@assign" not in value:
        return
    spelled = value["@@assign"]
    if not isinstance(spelled, str):
        yield (*path, "@@assign"), f'{where} "@@assign" must be the key\'s spelling, a string'
    elif len(spelled) > TAG_KEY_LENGTH:
        yield (
            (*path, "@@assign"),
            (
                f"{where} is {len(spelled)} characters; AWS allows tag keys of at most "
                f"{TAG_KEY_LENGTH}"
            ),
        )
    elif spelled.lower() != name.lower():
        yield (
            (*path, "@@assign"),
            (
                f"{where} spells {spelled!r}, another key than the policy's {name!r}; the two "
                "must be the same key (only the case may differ)"
            ),
        )


def _field(path: Path, name: str, key: str, value: object) -> Iterator[tuple[Path, str]]:
    where = f"tag {name!r} {key}"
    if not isinstance(value, dict):
        yield path, f'{where} must be an operator object, e.g. {{"@@assign": ...}}'
        return
    for op in sorted(set(value) - VALUE_OPERATORS - {CHILD}):
        yield (
            (*path, op),
            (f"{where} has unknown operator {op!r} (allowed: @@assign, @@append, @@remove)"),
        )
    if CHILD in value:
        yield from _child((*path, CHILD), where, value[CHILD])
    if not set(value) & VALUE_OPERATORS and CHILD not in value:
        yield path, f"{where} sets nothing (give @@assign, @@append or @@remove)"
    if key == "tag_key":
        yield from _tag_key(path, name, where, value)
        return
    for op in sorted(set(value) & VALUE_OPERATORS):
        items = value[op]
        if not (isinstance(items, str) or (
            isinstance(items, list) and all(isinstance(i, str) for i in items)
        )):  # fmt: skip
            yield (*path, op), f"{where} {op} must be a list of strings"


def problems(doc: dict[str, object]) -> Iterator[tuple[Path, str]]:
    tags = doc.get("tags")
    if not isinstance(tags, dict):
        yield (), 'needs a top-level "tags" object'
        return
    for key in sorted(set(doc) - {"tags", CHILD}):
        yield (key,), f"has unknown top-level key {key!r}"
    if CHILD in doc:
        yield from _child((CHILD,), "the policy", doc[CHILD])
    for name, spec in tags.items():
        if name == CHILD:
            yield from _child(("tags", CHILD), '"tags"', spec)
            continue
        if not isinstance(spec, dict):
            yield ("tags", name), f"tag {name!r} must be an object"
            continue
        for key in sorted(set(spec) - TAG_KEYS - {CHILD}):
            yield ("tags", name, key), f"tag {name!r} has unknown key {key!r}"
        if CHILD in spec:
            yield from _child(("tags", name, CHILD), f"tag {name!r}", spec[CHILD])
        for key in sorted(TAG_KEYS & set(spec)):
            yield from _field(("tags", name, key), name, key, spec[key])
