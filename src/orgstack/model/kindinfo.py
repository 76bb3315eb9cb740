"""A kind's metadata (``KindInfo``, in its ``__init__.py``) and what happens to what it made
when it leaves the spec (``Removal``): pure data, which the contract and the registry check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class Removal:
    """What happens to an orgstack-owned live resource that left the spec."""

    #: Reported as unmanaged, never changed (users, groups: they belong to people).
    REPORT = "report"
    #: Deleted only when the plan allows it (``--allow-delete``), else reported.
    DELETE = "delete"
    #: Revoked by a ``detach`` in every plan (an assignment that grants access).
    DETACH = "detach"
    #: Revoked by an update in every plan (to the kind's ``revoked(address, value)``: a role
    #: that trusts nobody, a group with no members or policies) and deleted only with
    #: ``--allow-delete``: what it granted goes at once, the object itself only when allowed.
    REVOKE = "revoke"


@dataclass(frozen=True)
class KindInfo:
    """The metadata of a kind (pure data, in the kind's ``__init__.py``)."""

    #: Addresses are ``<prefix>:<account>/<rest>``: the account a resource lives in comes first.
    prefix: str
    summary: str
    #: The core kind (one: the organization's own objects): read first, by an organization
    #: read request (``read`` answers the live organization), and diffed by its ``diff.py``;
    #: the registry keeps it apart from the kinds of resources in accounts.
    core: bool = False
    #: Address prefixes besides ``prefix`` the kind's resources use (the core kind's ``ou``,
    #: ``account``, a policy type's …): the type of such an address is its prefix.
    owns: tuple[str, ...] = ()
    #: Types (the address segment ``type_index``) in the order their changes run.
    types: tuple[str, ...] = ("",)
    #: Which ``/``-separated segment after the account names the type (None: one type).
    type_index: int | None = None
    #: Per type: what happens when an orgstack-owned resource leaves the spec.
    removal: Mapping[str, str] = field(default_factory=dict)
    #: Plan text groups this kind's changes by account under this heading (None: one line each).
    group_title: str | None = None
    #: Where the kind's changes stand in a plan: lower first (ties by name).
    phase: int = 50
    #: Kinds whose changes in the same plan this kind's changes wait for (by prefix).
    after: tuple[str, ...] = ()
    #: Types whose resource is wholly named by its address (an assignment of a permission set
    #: to a group in an account): nothing about it can be updated, the diff only creates and
    #: removes it.
    fixed: tuple[str, ...] = ()
    #: An update's ``after`` carries the whole desired value, not only what differs (for
    #: APIs that set every field at once).
    full_updates: bool = False
    #: The spec sections the kind's resources come from, when they are other kinds' (the
    #: registry checks each has an owner: the kind whose schema declares it).
    sections: tuple[str, ...] = ()
    #: How drift names a resource that exists in AWS but not in the spec.
    absent: str = "not in the spec"
    #: Why a ``detach`` removal is planned (shown in the plan).
    detach_reason: str = "no longer in the spec"
