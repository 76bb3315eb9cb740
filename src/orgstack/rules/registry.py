"""Discover every rule module and pick rules with ``--select`` / ``--ignore`` patterns."""

from __future__ import annotations

import importlib
import pkgutil
from fnmatch import fnmatchcase
from functools import cache

from orgstack.errors import UsageError
from orgstack.rules.base import Rule

CATEGORIES = ("limits", "structure", "security")


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, by id; a module in a category folder is a rule with a ``RULE``."""
    found: list[Rule] = []
    for category in CATEGORIES:
        package = importlib.import_module(f"orgstack.rules.{category}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found.append(module.RULE)
    return tuple(sorted(found, key=lambda r: r.id))


def _matches(rule: Rule, pattern: str) -> bool:
    pattern = pattern.strip()
    return (
        fnmatchcase(rule.id, pattern.upper())
        or fnmatchcase(rule.name, pattern.lower())
        or (rule.category == pattern.lower())
    )


def pick(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """Rules matching any ``select`` pattern (all when none) and no ``ignore`` pattern.

    A pattern is a rule id or glob (``LZ1*``), a rule name (``account-directly-under-root``)
    or a category (``limits``, ``structure``, ``security``).
    """
    rules = all_rules()
    for option, patterns in (("--select", select), ("--ignore", ignore)):
        for pattern in patterns:
            if not any(_matches(r, pattern) for r in rules):
                raise UsageError(
                    f"{option} {pattern}: matches no rule",
                    "`orgstack rules` lists the rule ids, names and categories.",
                )
    chosen = [r for r in rules if not select or any(_matches(r, p) for p in select)]
    return tuple(r for r in chosen if not any(_matches(r, p) for p in ignore))
