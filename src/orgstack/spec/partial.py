"""What is left of a spec without the items the schema refused, so that ``validate`` reports
the schema's problems, the references' problems and the rules' findings in one run.

An item is the smallest unit a problem can be cut out with: one OU (with what is below it),
one account, one policy; any other section (a kind's, ``ignore``) goes whole. The
``organization`` section cannot go: without it nothing compiles, and the problems stop there.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from orgstack.errors import Problem
from orgstack.model import paths

#: Sections whose items are mappings by name, cut out one by one.
ITEM_SECTIONS = ("accounts", "policies")
OU_SECTION = "organizational_units"
#: Without this section there is nothing to compile.
NEEDED = "organization"


@dataclass(frozen=True)
class Broken:
    """What was cut out of the spec, by name: references to it are no new problem."""

    ous: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.ous or self.accounts)

    def has_ou(self, path: str) -> bool:
        """Whether OU ``path`` was cut out, itself or with an OU above it."""
        return bool(self.ous) and any(above in self.ous for above in paths.ancestors(path))

    def with_accounts(self, names: set[str]) -> Broken:
        return Broken(self.ous, self.accounts | names)

    def is_consequence(self, problem: Problem) -> bool:
        """Whether ``problem`` only says that something cut out is missing."""
        for found in _MISSING.finditer(problem.message):
            kind, name = found.group(1), found.group(2)
            if (kind == "account" and name in self.accounts) or (
                kind == "OU" and self.has_ou(name)
            ):
                return True
        return bool(self.accounts or self.ous) and any(text in problem.message for text in _ABSENT)


#: Problems that say a kind found no account it needs: after accounts were cut out, the
#: account may be one of them (it is reported again once its own problem is fixed).
_ABSENT = ("selects no account", "declares no management account")
_MISSING = re.compile(r"no (account|OU) '((?:[^'\\]|\\.)*)'")


def without_refused(data: dict[str, Any], error: ValidationError) -> tuple[Any, Broken] | None:
    """``data`` without every item ``error`` names, and what was cut; None when a problem
    lies where nothing can be cut (the organization section, the top level)."""
    left = copy.deepcopy(data)
    ous: set[str] = set()
    accounts: set[str] = set()
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        if not loc or loc[0] == NEEDED or not isinstance(loc[0], str):
            return None
        section = loc[0]
        if section in ITEM_SECTIONS and len(loc) > 1 and isinstance(left.get(section), dict):
            left[section].pop(loc[1], None)
            if section == "accounts":  # a cut policy is referred to by nothing
                accounts.add(str(loc[1]))
        elif section == OU_SECTION and len(loc) > 1 and isinstance(left.get(section), dict):
            ous.add(_cut_ou(left[section], loc[1:]))
        else:
            left.pop(section, None)
    return left, Broken(frozenset(ous), frozenset(accounts))


def _cut_ou(tree: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """Remove the deepest OU ``loc`` (name, children, name, …) reaches; its path."""
    names = [str(loc[0])]
    rest = loc[1:]
    while len(rest) > 1 and rest[0] == "children":
        names.append(str(rest[1]))
        rest = rest[2:]
    parent: Any = tree
    for name in names[:-1]:
        parent = parent.get(name, {}) if isinstance(parent, dict) else {}
        parent = parent.get("children", {}) if isinstance(parent, dict) else {}
    if isinstance(parent, dict):
        parent.pop(names[-1], None)
    path = ""
    for name in names:
        path = paths.join(path, name)
    return path
