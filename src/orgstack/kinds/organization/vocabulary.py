"""What the organization reader is asked: the whole organization (a plan; audit, import, drift),
a partial plan's scope (``plan --target``), or only the objects a plan's fingerprints name
(apply's stale check). One request, one reader: the shapes differ in what they read, not in
how an object is read."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from orgstack.model import Account, OrganizationalUnit, OrgModel, PolicyType, paths
from orgstack.plan.scope import Scope

#: Whose tags to read: called with each object's id and the object (None: the root) as soon
#: as it is listed, so tags are read while the rest of the tree still is.
TagSelector = Callable[[str, OrganizationalUnit | Account | None], bool]
#: Called once the accounts, trusted access and delegated administrators are known (policies
#: and tags, and with ``early`` the OUs, are still being read): the member-account reads start
#: from it.
OnTree = Callable[[OrgModel | None], None]


def every_tag(_id: str, _obj: OrganizationalUnit | Account | None) -> bool:
    return True


ACCOUNT_ID = re.compile(r"\d{12}")
_TYPES_BY_PREFIX = {t.address_prefix: t for t in PolicyType}


@dataclass
class Wanted:
    """What a plan's fingerprints name: live objects by id, absent ones by address."""

    accounts: set[str] = field(default_factory=set)
    ous: set[str] = field(default_factory=set)
    policies: set[str] = field(default_factory=set)
    root: bool = False
    new_accounts: set[str] = field(default_factory=set)  # names
    new_ous: set[str] = field(default_factory=set)  # paths
    new_policies: dict[str, PolicyType] = field(default_factory=dict)  # type by address
    #: OU paths above the fingerprinted objects when planned (each costs two calls if unknown).
    above: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class OrgRequest:
    """What to read of the organization.

    ``tags`` picks the objects (root, OU or account) whose tags to read (None: none; one call
    per object). With neither ``scope`` nor ``touched``: the whole organization, and
    ``on_tree`` gets it as soon as its accounts are known (``early``: from ListAccounts, their
    OUs unknown, while the tree is still listed). ``scope`` (with the ``desired`` spec): a
    partial plan's objects, the OUs above them and the trees below its OU targets.
    ``touched``: only the objects a plan fingerprinted, each as the whole read shows it (tags
    of every fingerprinted object).
    """

    tags: TagSelector | None = None
    on_tree: OnTree | None = None
    early: bool = False
    scope: Scope | None = None
    desired: OrgModel | None = None
    touched: Wanted | None = None

    def __post_init__(self) -> None:
        if self.scope is not None and self.desired is None:
            raise ValueError("a scope is read against the spec: give desired")
        if self.scope is not None and self.touched is not None:
            raise ValueError("read a scope or the touched objects, not both")


def wanted_from(keys: Iterable[str], observed: Mapping[str, Any]) -> Wanted | None:
    """What ``keys`` (a plan's organization fingerprints) name; None for a key this reader
    does not know (the whole tree is read then)."""
    wanted = Wanted()
    for key in keys:
        if key.startswith("id:"):
            object_id = key[3:]
            if object_id.startswith("o-"):
                continue  # the organization: always read
            if object_id.startswith("r-"):
                wanted.root = True
            elif object_id.startswith("ou-"):
                wanted.ous.add(object_id)
            elif object_id.startswith("p-"):
                wanted.policies.add(object_id)
            elif ACCOUNT_ID.fullmatch(object_id):
                wanted.accounts.add(object_id)
            else:
                return None
            then = observed.get(key) or {}
            for place in (then.get("ou"), then.get("path")):
                if place and place != "root":
                    wanted.above |= set(paths.ancestors(place))
            continue
        kind, _, name = key.partition(":")
        if key == "organization":
            continue
        if kind == "account":
            wanted.new_accounts.add(name)
        elif kind == "ou":
            wanted.new_ous.add(name)
        elif kind in _TYPES_BY_PREFIX:
            wanted.new_policies[key] = _TYPES_BY_PREFIX[kind]
        else:
            return None
    return wanted


def cheaper(wanted: Wanted, ids: Mapping[str, str]) -> bool:
    """Whether reading only ``wanted`` takes fewer calls than the whole tree, estimated from
    the plan's ids (its spec's OUs, accounts and policies)."""
    ous = sum(1 for k in ids if k.startswith("ou:"))
    accounts = sum(1 for k in ids if k.startswith("account:"))
    policies = sum(1 for k in ids if k.split(":", 1)[0] in _TYPES_BY_PREFIX)
    tagged = len(wanted.accounts) + len(wanted.ous) + int(wanted.root)
    whole = 2 * (ous + 1) + accounts // 20 + 2 * policies + tagged
    alone = (
        3 * (len(wanted.accounts) + len(wanted.ous))
        + int(wanted.root)
        + 2 * len(wanted.policies)
        + 2 * len(wanted.above)
        + (accounts // 20 + 1 + len(wanted.new_accounts) if wanted.new_accounts else 0)
        + sum(len(paths.names(p)) for p in wanted.new_ous)
        + 3 * len(wanted.new_policies)
    )
    return alone < whole
