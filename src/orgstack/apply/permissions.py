"""The IAM policy orgstack needs, generated from the "IAM actions:" lines of its docstrings:
the readers' modules and every executor of the engine's table and of every kind."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

ACTION = re.compile(r"\b[a-z0-9-]+:[A-Z][A-Za-z]+\b")


def actions_in(doc: str) -> set[str]:
    """Every ``service:Action`` named after "IAM actions:" in ``doc``."""
    _, marker, rest = doc.partition("IAM actions:")
    return set(ACTION.findall(rest)) if marker else set()


def documented_actions(module: ModuleType) -> set[str]:
    """Every ``service:Action`` named after "IAM actions:" in the module's docstrings."""
    docs = [module.__doc__ or ""] + [
        inspect.getdoc(f) or "" for _, f in inspect.getmembers(module, inspect.isfunction)
    ]
    docs += [inspect.getdoc(c) or "" for _, c in inspect.getmembers(module, inspect.isclass)]
    return {a for doc in docs for a in actions_in(doc)}


def executors() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(table entry, executor) of every kind's table, the core kind's first."""
    from orgstack.registry import pipeline

    for found in pipeline():
        for (type_, verb), run in found.executors().items():
            entry = type_ if found.info.core else f"{found.info.prefix}:{type_}"
            yield f"{entry} {verb}", run


def readers() -> list[ModuleType]:
    from orgstack.registry import pipeline

    return [m for k in pipeline() for m in k.reading_modules()]


def iam_policy() -> dict[str, Any]:
    """Read actions (the readers) and write actions (the executors), least privilege."""
    from orgstack.apply import ledger
    from orgstack.aws import members

    read = {"sts:GetCallerIdentity"}
    for module in readers():
        read |= documented_actions(module)
    write = documented_actions(members) | documented_actions(ledger)
    for _, executor in executors():
        write |= actions_in(inspect.getdoc(executor) or "")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "OrgstackRead", "Effect": "Allow", "Action": sorted(read), "Resource": "*"},
            {
                "Sid": "OrgstackApply",
                "Effect": "Allow",
                "Action": sorted(write - read),
                "Resource": "*",
            },
        ],
    }
