"""What a resource kind is (the vocabulary every kind and the core share): a folder
``kinds/<name>/`` whose files play fixed roles, found by ``orgstack.registry``.

A kind ``kinds/<name>/`` holds
- ``__init__.py``: ``KIND = KindInfo(...)``, pure metadata (address prefix, order, removal);
- ``schema.py`` (optional): ``SECTION`` and ``Schema`` (its spec section, pydantic), and
  ``compile(section, model, located, problems)`` in ``compile.py`` (or ``schema.py``) → the
  compiled value kept in ``OrgModel.sections[SECTION]``;
- ``desired.py``: ``desired(model, ids) -> {address: canonical value}`` (pure), and
  ``revoked(address, value)`` for types removed with ``Removal.REVOKE``;
- ``read.py``: ``read(ctx, request) -> Live`` through a read-only context, and
  ``section_from_plan(plan)`` (the section the stale check needs, when the reader needs one);
- ``apply.py``: ``EXECUTORS`` by ``(type, action)`` (idempotent; each docstring lists its IAM
  actions); ``WAITS_FOR`` / ``DELETE_WAITS_FOR`` (type → the types of the same account it
  waits for); and, optional, ``waits_for(change, changes) -> set[int] | None``: the indexes
  of the plan's changes this one waits for, beyond those (a security account's handover: the
  Organizations registration moves only after the old administrator released its members);
- ``render.py`` (optional): ``detail(change)``, one plan line.

Modules are imported only when their role is needed: ``validate`` never loads boto3.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

from orgstack.model import paths


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
    #: An update's ``after`` carries the whole desired value, not only what differs (for
    #: APIs that set every field at once).
    full_updates: bool = False
    #: How drift names a resource that exists in AWS but not in the spec.
    absent: str = "not in the spec"
    #: Why a ``detach`` removal is planned (shown in the plan).
    detach_reason: str = "no longer in the spec"


@dataclass
class Live:
    """Resources read from AWS, in the shape ``desired`` builds from the spec."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Addresses of live resources that are orgstack's (tagged, named ``orgstack-…``, …).
    managed: set[str] = field(default_factory=set)
    #: Live ids the executors need, by address (or a kind's own keys).
    ids: dict[str, str] = field(default_factory=dict)
    #: Pre-flight errors the read found (e.g. a service that is not enabled).
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: Pre-flight warnings (message, hint): what the read could not see, e.g. an account
    #: outside the spec that orgstack cannot enter.
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def unreachable(self, name: str, account_id: str, error: Exception) -> None:
        """An account outside the spec that could not be read: warned, not fatal."""
        code = getattr(error, "code", "") or type(error).__name__
        self.warnings.append(
            (
                f"account {name} ({account_id}) is not in the spec and orgstack cannot enter "
                f"it ({code}): roles orgstack may have left there are not checked",
                "Give it the organization access role (an invited account lacks it), add it "
                "to the spec, or remove it from the organization.",
            )
        )

    def found(self, address: str, value: dict[str, Any] | None) -> None:
        """A resource a reader found (None: not there), orgstack's to manage."""
        if value is not None:
            self.resources[address] = value
            self.managed.add(address)

    def merge(self, other: Live) -> None:
        self.resources |= other.resources
        self.managed |= other.managed
        self.ids |= other.ids
        self.warnings += other.warnings
        self.problems += other.problems


@dataclass(frozen=True)
class ReadRequest:
    """What a kind's reader is asked for.

    ``section``: the kind's compiled spec section (or what ``section_from_plan`` rebuilt);
    ``accounts``: name → id of the spec's existing, active accounts; ``only``: account names
    to limit the read to (the stale check re-reads only what a plan touches); ``model``: the
    desired model when planning (None in the stale check); ``live``: the organization as just
    read; ``ids``: the plan's live ids.
    """

    section: Any
    accounts: Mapping[str, str]
    only: frozenset[str] | None = None
    model: Any = None
    live: Any = None
    ids: Mapping[str, str] = field(default_factory=dict)

    def addresses(
        self, desired: Callable[[Any, Mapping[str, str]], Mapping[str, Any]]
    ) -> list[str]:
        """The addresses to read: the stale check's (``section``: the plan's addresses, for
        a kind whose ``section_from_plan`` returns them) or what ``desired`` makes of the spec."""
        if self.section is not None:
            return list(self.section)
        if self.model is None:
            return []
        return list(desired(self.model, self.ids))

    def wanted(self) -> dict[str, str]:
        """The accounts to read: ``accounts`` narrowed to ``only``."""
        return {
            name: account_id
            for name, account_id in self.accounts.items()
            if self.only is None or name in self.only
        }

    def every_account(self) -> dict[str, str]:
        """``wanted()`` and, in a whole plan, every other active account of the organization
        (what orgstack made there must end where the spec ends), by its live name (its id
        when a spec account has that name)."""
        wanted = self.wanted()
        if self.model is None or self.live is None or self.only is not None:
            return wanted
        known = set(wanted.values())
        for account in self.live.accounts:
            if not account.id or account.id in known or account.status not in (None, "ACTIVE"):
                continue
            wanted[account.name if account.name not in self.accounts else account.id] = account.id
        return wanted


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind found by the registry: its name (the folder), metadata and role modules."""

    name: str
    package: str
    info: KindInfo

    def _role(self, role: str) -> ModuleType | None:
        try:
            return importlib.import_module(f"{self.package}.{role}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{self.package}.{role}":
                return None
            raise

    @cached_property
    def schema(self) -> ModuleType | None:
        return self._role("schema")

    @cached_property
    def desired_module(self) -> ModuleType:
        found = self._role("desired")
        assert found is not None, f"kind {self.name} has no desired.py"
        return found

    @cached_property
    def reader(self) -> ModuleType:
        found = self._role("read")
        assert found is not None, f"kind {self.name} has no read.py"
        return found

    @cached_property
    def applier(self) -> ModuleType:
        found = self._role("apply")
        assert found is not None, f"kind {self.name} has no apply.py"
        return found

    @cached_property
    def renderer(self) -> ModuleType | None:
        return self._role("render")

    @property
    def section(self) -> str | None:
        return getattr(self.schema, "SECTION", None) if self.schema else None

    def compile(self, section: Any, model: Any, located: Any, problems: list[Any]) -> Any:
        """The kind's compiled spec section (``compile.py``'s or ``schema.py``'s ``compile``, or
        the section as it is)."""
        compiler = self._role("compile")
        compile_section = getattr(compiler or self.schema, "compile", None)
        return (
            section
            if compile_section is None
            else compile_section(section, model, located, problems)
        )

    def policies(self, compiled: Any, model: Any, located: Any) -> list[Any]:
        """The organization policies the kind's section adds to the spec's (``compile.py``'s
        ``policies``): planned, applied and checked like declared ones."""
        compiler = self._role("compile")
        add = getattr(compiler or self.schema, "policies", None)
        return [] if add is None else list(add(compiled, model, located))

    def desired(self, model: Any, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = self.desired_module.desired(model, ids)
        return found

    def executor(self, type_: str, action: str) -> Callable[..., dict[str, Any]] | None:
        found: Callable[..., dict[str, Any]] | None = self.applier.EXECUTORS.get((type_, action))
        return found

    def type_of(self, address: str) -> str:
        if self.info.type_index is None:
            return ""
        return paths.raw_segments(address.split(":", 1)[1])[self.info.type_index]

    def removal(self, address: str) -> str:
        return self.info.removal.get(self.type_of(address), Removal.REPORT)

    def revoked(self, address: str, value: dict[str, Any]) -> dict[str, Any]:
        """What a leftover with ``Removal.REVOKE`` becomes (``desired.py``'s ``revoked``)."""
        found: dict[str, Any] = self.desired_module.revoked(address, value)
        return found


def account_of(address: str) -> str:
    """The account a kind's resource lives in: the first segment after the prefix (an account
    name holding ``/`` is escaped there, see ``model.paths``)."""
    return paths.unescape(paths.raw_segments(address.split(":", 1)[1])[0])


def in_account(address: str) -> str:
    """What follows the account in a kind's address: ``access:web/role/x`` → ``role/x``."""
    return "/".join(paths.raw_segments(address.split(":", 1)[1])[1:])


def resource_address(prefix: str, account: str, *rest: str) -> str:
    """``prefix:<account>/<rest…>``, the account escaped (see ``model.paths``)."""
    return f"{prefix}:" + "/".join((paths.escape(account), *rest))
