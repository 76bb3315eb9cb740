"""The grammar of management policies (backup, AI services opt-out, chatbot, EC2 declarative):
JSON objects whose every value is set through an inheritance operator, as AWS documents them
("Management policy syntax and inheritance"). Pure; rule LZ020 uses it. Tag policies, the first
management policy type, have their own stricter grammar in ``tagpolicy``."""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model.core import PolicyType
from orgstack.model.tagpolicy import CHILD, CHILD_VALUES, VALUE_OPERATORS

#: The one top-level key each type has.
TOP_KEY = {
    PolicyType.BACKUP: "plans",
    PolicyType.AI_OPT_OUT: "services",
    PolicyType.CHATBOT: "chatbot",
    PolicyType.DECLARATIVE: "ec2_attributes",
}
#: EC2 account attributes a declarative policy sets (AWS's list).
EC2_ATTRIBUTES = {
    "allowed_images_settings",
    "image_block_public_access",
    "instance_metadata_defaults",
    "serial_console_access",
    "snapshot_block_public_access",
    "vpc_block_public_access",
}
OPT_OUT_VALUES = {"optIn", "optOut"}
OPERATORS = {*VALUE_OPERATORS, CHILD}


def _walk(where: str, value: object) -> Iterator[str]:
    """Every object either sets values with operators or holds more objects; a bare value
    outside an operator is AWS's most common refusal."""
    if not isinstance(value, dict):
        yield f'{where} must be an object; values are set with operators, e.g. {{"@@assign": …}}'
        return
    for key in sorted(k for k in value if k.startswith("@@") and k not in OPERATORS):
        yield (
            f"{where} has unknown operator {key!r} (allowed: @@assign, @@append, @@remove, {CHILD})"
        )
    for key, item in value.items():
        if key == CHILD:
            if not (isinstance(item, list) and set(item) <= CHILD_VALUES):
                yield f"{where} {CHILD} must be a list of " + ", ".join(sorted(CHILD_VALUES))
        elif key in VALUE_OPERATORS:
            if isinstance(item, dict):
                yield f"{where} {key} takes a value or a list, not an object"
        elif not key.startswith("@@"):
            yield from _walk(f"{where}.{key}", item)


def _specifics(kind: PolicyType, top: dict[str, object]) -> Iterator[str]:
    if kind == PolicyType.DECLARATIVE:
        for name in sorted(set(top) - EC2_ATTRIBUTES - {CHILD}):
            yield (
                f"ec2_attributes has unknown attribute {name!r} (allowed: "
                + ", ".join(sorted(EC2_ATTRIBUTES))
                + ")"
            )
    if kind == PolicyType.AI_OPT_OUT:
        for service, body in top.items():
            value = body.get("opt_out_policy") if isinstance(body, dict) else None
            chosen = value.get("@@assign") if isinstance(value, dict) else None
            if chosen is not None and chosen not in OPT_OUT_VALUES:
                yield (
                    f"services.{service}.opt_out_policy @@assign is {chosen!r}; "
                    "allowed: optIn, optOut"
                )


def problems(kind: PolicyType, doc: dict[str, object]) -> Iterator[str]:
    """What is wrong with ``doc`` as a policy of ``kind`` (a management type of ``TOP_KEY``)."""
    top_key = TOP_KEY[kind]
    for key in sorted(set(doc) - {top_key, CHILD}):
        yield f"has unknown top-level key {key!r} (a {kind.value} policy has {top_key!r})"
    top = doc.get(top_key)
    if top is None:
        yield f"needs a top-level {top_key!r} object"
        return
    yield from _walk(top_key, top)
    if isinstance(top, dict):
        yield from _specifics(kind, top)
