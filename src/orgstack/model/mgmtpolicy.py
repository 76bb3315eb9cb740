"""The grammar of management policies (backup, AI services opt-out, chatbot, EC2 declarative):
JSON objects whose every value is set through an inheritance operator, as AWS documents them
("Management policy syntax and inheritance"); backup and AI services opt-out policies by their
documented shape (``policyschema``). Pure; rule LZ020 uses it. Tag policies, the first
management policy type, have their own stricter grammar in ``tagpolicy``.

Each problem comes with the JSON path of the part to fix (keys and indexes)."""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model.core import PolicyType
from orgstack.model.policyschema import AI_OPT_OUT, BACKUP, Path, walk
from orgstack.model.tagpolicy import CHILD, CHILD_VALUES, VALUE_OPERATORS

#: The one top-level key each type has.
TOP_KEY = {
    PolicyType.BACKUP: "plans",
    PolicyType.AI_OPT_OUT: "services",
    PolicyType.CHATBOT: "chatbot",
    PolicyType.DECLARATIVE: "ec2_attributes",
}
#: The documented shape of a type (the others are checked for operators only).
SHAPES = {PolicyType.BACKUP: BACKUP, PolicyType.AI_OPT_OUT: AI_OPT_OUT}
#: EC2 account attributes a declarative policy sets (AWS's list).
EC2_ATTRIBUTES = {
    "allowed_images_settings",
    "image_block_public_access",
    "instance_metadata_defaults",
    "serial_console_access",
    "snapshot_block_public_access",
    "vpc_block_public_access",
}
OPERATORS = {*VALUE_OPERATORS, CHILD}


def _walk(where: Path, value: object) -> Iterator[tuple[Path, str]]:
    """Every object either sets values with operators or holds more objects; a bare value
    outside an operator is AWS's most common refusal."""
    if not isinstance(value, dict):
        yield where, 'must be an object; values are set with operators, e.g. {"@@assign": …}'
        return
    for key in sorted(k for k in value if k.startswith("@@") and k not in OPERATORS):
        yield (
            (*where, key),
            (f"unknown operator {key!r} (allowed: @@assign, @@append, @@remove, {CHILD})"),
        )
    for key, item in value.items():
        if key == CHILD:
            if not (isinstance(item, list) and set(item) <= CHILD_VALUES):
                yield (*where, key), f"{CHILD} must be a list of " + ", ".join(sorted(CHILD_VALUES))
        elif key in VALUE_OPERATORS:
            if isinstance(item, dict):
                yield (*where, key), f"{key} takes a value or a list, not an object"
        elif not key.startswith("@@"):
            yield from _walk((*where, key), item)


def _declarative(top: dict[str, object]) -> Iterator[tuple[Path, str]]:
    for name in sorted(set(top) - EC2_ATTRIBUTES - {CHILD}):
        yield (
            ("ec2_attributes", name),
            (f"unknown attribute {name!r} (allowed: " + ", ".join(sorted(EC2_ATTRIBUTES)) + ")"),
        )


def problems(kind: PolicyType, doc: dict[str, object]) -> Iterator[tuple[Path, str]]:
    """What is wrong with ``doc`` as a policy of ``kind`` (a management type of ``TOP_KEY``),
    each with the path of the part to fix."""
    top_key = TOP_KEY[kind]
    for key in sorted(set(doc) - {top_key, CHILD}):
        yield (key,), f"unknown top-level key {key!r} (a {kind.value} policy has {top_key!r})"
    top = doc.get(top_key)
    if top is None:
        yield (), f"needs a top-level {top_key!r} object"
        return
    if kind in SHAPES:
        yield from walk(SHAPES[kind], {top_key: top}, ())
        return
    yield from _walk((top_key,), top)
    if kind == PolicyType.DECLARATIVE and isinstance(top, dict):
        yield from _declarative(top)
