"""What the organization reader is asked: the whole organization (a plan; audit, import, drift),
a partial plan's scope (``plan --target``), or only the objects a plan's fingerprints name
(apply's stale check). One request, one reader: the shapes differ in what they read, not in
how an object is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgstack.live.org.objects import OnTree, TagSelector
from orgstack.model import OrgModel, PolicyType
from orgstack.plan.scope import Scope


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
