"""The grammar of organization policies built from inheritance operators (tag policies first):
value-setting operators (@@assign, @@append, @@remove) and child-control operators
(@@operators_allowed_for_child_policies), as AWS documents them. Pure; the rules use it."""

from __future__ import annotations

from collections.abc import Iterator

TAG_KEYS = {"tag_key", "tag_value", "enforced_for", "report_required_tag_for"}
CHILD = "@@operators_allowed_for_child_policies"
VALUE_OPERATORS = {"@@assign", "@@append", "@@remove"}
CHILD_VALUES = {"@@all", "@@none", *VALUE_OPERATORS}


def _child(where: str, value: object) -> Iterator[str]:
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        yield f"{where}: {CHILD} must be a list of operators"
        return
    for item in sorted(set(value) - CHILD_VALUES):
        yield (
            f"{where}: {CHILD} has unknown operator {item!r} (allowed: "
            + ", ".join(sorted(CHILD_VALUES))
            + ")"
        )


def _field(name: str, key: str, value: object) -> Iterator[str]:
    where = f"tag {name!r} {key}"
    if not isinstance(value, dict):
        yield f'{where} must be an operator object, e.g. {{"@@assign": ...}}'
        return
    for op in sorted(set(value) - VALUE_OPERATORS - {CHILD}):
        yield f"{where} has unknown operator {op!r} (allowed: @@assign, @@append, @@remove)"
    if CHILD in value:
        yield from _child(where, value[CHILD])
    if not set(value) & VALUE_OPERATORS and CHILD not in value:
        yield f"{where} sets nothing (give @@assign, @@append or @@remove)"
    if key != "tag_key":
        for op in sorted(set(value) & VALUE_OPERATORS):
            items = value[op]
            if not (isinstance(items, str) or (
                isinstance(items, list) and all(isinstance(i, str) for i in items)
            )):  # fmt: skip
                yield f"{where} {op} must be a list of strings"
    if key == "tag_key":
        if set(value) & {"@@append", "@@remove"}:
            yield f"{where} takes only @@assign"
        if "@@assign" in value and not isinstance(value["@@assign"], str):
            yield f'{where} "@@assign" must be the key\'s spelling, a string'


def problems(doc: dict[str, object]) -> Iterator[str]:
    tags = doc.get("tags")
    if not isinstance(tags, dict):
        yield 'needs a top-level "tags" object'
        return
    for key in sorted(set(doc) - {"tags", CHILD}):
        yield f"has unknown top-level key {key!r}"
    if CHILD in doc:
        yield from _child("the policy", doc[CHILD])
    for name, spec in tags.items():
        if name == CHILD:
            yield from _child('"tags"', spec)
            continue
        if not isinstance(spec, dict):
            yield f"tag {name!r} must be an object"
            continue
        for key in sorted(set(spec) - TAG_KEYS - {CHILD}):
            yield f"tag {name!r} has unknown key {key!r}"
        if CHILD in spec:
            yield from _child(f"tag {name!r}", spec[CHILD])
        for key in sorted(TAG_KEYS & set(spec)):
            yield from _field(name, key, spec[key])
