"""The Plan value: ordered changes, unmanaged live objects, pre-flight findings."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    """What a change does; ``symbol`` is how the text plan marks it."""

    CREATE = "create"
    ENABLE = "enable"
    UPDATE = "update"
    MOVE = "move"
    TAG = "tag"
    UNTAG = "untag"
    ATTACH = "attach"
    DETACH = "detach"
    DELETE = "delete"
    SUSPEND = "suspend"
    CLOSE = "close"

    @property
    def symbol(self) -> str:
        return {
            "create": "+",
            "enable": "+",
            "attach": "+",
            "update": "~",
            "tag": "~",
            "untag": "~",
            "move": "→",
            "detach": "-",
            "delete": "-",
            "suspend": "-",
            "close": "-",
        }[self.value]

    @property
    def past(self) -> str:
        """The action done, for summaries: ``create`` → ``created``."""
        return {
            "create": "created",
            "enable": "enabled",
            "update": "updated",
            "move": "moved",
            "tag": "tagged",
            "untag": "untagged",
            "attach": "attached",
            "detach": "detached",
            "delete": "deleted",
            "suspend": "suspended",
            "close": "closed",
        }[self.value]


@dataclass(frozen=True)
class Change:
    """One change: the object's address, the action, the value before and after, why (display
    only), and the fingerprints of the live values it was planned against."""

    address: str
    action: Action
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str
    fingerprints: dict[str, str] = field(default_factory=dict)
    #: The live values behind each fingerprint, so a stale plan can say what changed.
    observed: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmanaged:
    """A live object the spec does not declare; reported, never changed."""

    address: str
    id: str
    note: str


class Changes(tuple[Change, ...]):
    """A plan's changes as ``dependencies`` hands them to a kind's ``waits_for``: with a
    ``memo`` the kind may keep an index of them in, built once per plan (asked for every
    change, a scan each time would make large plans quadratic)."""

    @functools.cached_property
    def memo(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Preflight:
    """Something to know before applying: ``error`` blocks the apply; ``warning``; ``pending``
    is a state AWS has not finished (apply waits on it, or leaves the change waiting)."""

    level: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Plan:
    """Everything ``plan`` found, in the order ``apply`` would make the changes."""

    changes: tuple[Change, ...]
    unmanaged: tuple[Unmanaged, ...] = ()
    preflight: tuple[Preflight, ...] = ()
    organization_id: str | None = None
    #: Live ids of the objects the plan refers to, by the spec's address (and ``root``).
    ids: dict[str, str] = field(default_factory=dict)
    #: What the spec declared when the plan was made (``fingerprint.spec_digest``): resuming
    #: an apply is refused once the spec says something else.
    spec_digest: str | None = None
    #: A partial plan's scope (``plan.scope.Scope.to_dict``): apply refuses any change
    #: outside it. None: the whole spec.
    scope: dict[str, list[str]] | None = None
    #: The account whose credentials made the plan (the management account): apply refuses
    #: other credentials, so a plan for one organization never runs against another.
    management_account: str | None = None

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def blocked(self) -> bool:
        return any(p.level == "error" for p in self.preflight)

    def counts(self) -> dict[str, int]:
        counted = Counter(c.action.value for c in self.changes)
        return {a.value: counted[a.value] for a in Action if counted[a.value]}
