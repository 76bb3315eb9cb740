"""What a resource kind is (the vocabulary every kind and the core share): a folder
``kinds/<name>/`` whose files play fixed roles, found by ``orgstack.registry``. The hooks each
role file may define are listed once, in ``orgstack.model.contract`` (and checked there when a
role file loads); CONTRIBUTING.md walks through adding a kind.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

from orgstack.model import contract, paths
from orgstack.model.addresses import account_of, in_account, resource_address
from orgstack.model.kindinfo import KindInfo, Removal
from orgstack.model.reads import Discovered, DiscoverRequest, Live, ReadRequest

if TYPE_CHECKING:
    from orgstack.model.core import OrgModel

__all__ = [
    "DiscoverRequest",
    "Discovered",
    "Kind",
    "KindContractError",
    "KindInfo",
    "Live",
    "ReadRequest",
    "Removal",
    "account_of",
    "in_account",
    "resource_address",
]


class KindContractError(TypeError):
    """A kind's role file breaks the contract (``orgstack.model.contract``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind found by the registry: its name (the folder), metadata and role modules."""

    name: str
    package: str
    info: KindInfo

    def _role(self, role: str) -> ModuleType | None:
        """The kind's role file, checked against the contract when it loads."""
        try:
            module = importlib.import_module(f"{self.package}.{role}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{self.package}.{role}":
                return None
            raise
        found = contract.problems(self.name, role, module)
        if found:
            raise KindContractError(found)
        return module

    def _hook(self, role: str, name: str) -> Any:
        """A hook of a role file (None: the file or the optional hook is absent); the name must
        be the contract's, so a misspelt lookup in the core fails at once."""
        hook = contract.hooks_of(role).get(name)
        assert hook is not None, f"{name} is not a hook of the {role} role"
        module = self._roles.get(role)
        if module is None and role == "compile":
            module = self._roles.get("schema")
        # A loaded role file has its required hooks (checked on load); a missing required
        # role file raised in _RoleFiles.
        return getattr(module, name, None)

    @cached_property
    def _roles(self) -> _RoleFiles:
        return _RoleFiles(self)

    def role_module(self, role: str) -> ModuleType | None:
        """A role file as a module (the permission table reads readers' docstrings)."""
        return self._roles.get(role)

    def reading_modules(self) -> list[ModuleType]:
        """The kind's files that call AWS to read (``read.py``, ``discover.py``, ``probes.py``):
        the permission table lists their IAM actions."""
        found = [self._roles.get("read"), self._roles.get("discover")]
        try:
            found.append(importlib.import_module(f"{self.package}.probes"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{self.package}.probes":
                raise
        return [m for m in found if m is not None]

    @property
    def schema(self) -> ModuleType | None:
        return self._roles.get("schema")

    def schema_model(self) -> Any:
        """The section's pydantic model (``schema.py``'s ``Schema``)."""
        return self._hook("schema", "Schema")

    def schema_description(self) -> str:
        found = self._hook("schema", "DESCRIPTION")
        return str(found) if found is not None else self.info.summary

    @property
    def section(self) -> str | None:
        found: str | None = self._hook("schema", "SECTION") if self.schema else None
        return found

    def compile(self, section: Any, model: Any, located: Any, problems: list[Any]) -> Any:
        """The kind's compiled spec section (``compile.py``'s or ``schema.py``'s ``compile``, or
        the section as it is)."""
        compile_section = self._hook("compile", "compile")
        return (
            section
            if compile_section is None
            else compile_section(section, model, located, problems)
        )

    def policies(self, compiled: Any, model: Any, located: Any) -> list[Any]:
        """The organization policies the kind's section adds to the spec's: planned, applied
        and checked like declared ones."""
        add = self._hook("compile", "policies")
        return [] if add is None else list(add(compiled, model, located))

    def desired(self, model: Any, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = self._hook("desired", "desired")(model, ids)
        return found

    def revoked(self, address: str, value: dict[str, Any]) -> dict[str, Any]:
        """What a leftover with ``Removal.REVOKE`` becomes (``desired.py``'s ``revoked``)."""
        found: dict[str, Any] = self._hook("desired", "revoked")(address, value)
        return found

    def read_with(self, model: Any) -> dict[str, str]:
        """Ids the kind's reader needs that no target carries (``desired.py``'s
        ``read_with``), kept in the plan's ids for the stale check."""
        found = self._hook("desired", "read_with")
        return {} if found is None else dict(found(model))

    def trusted_access(self, model: Any) -> set[str]:
        """The service principals the kind needs trusted access for."""
        wants = self._hook("desired", "trusted_access")
        return set() if wants is None else set(wants(model))

    def for_changes(self, changes: Any, organization: Any) -> dict[str, tuple[dict[str, Any], str]]:
        """{address: (value, why)}: what the organization layer's planned changes need of this
        kind that the live ``organization`` (None: assume nothing) lacks."""
        needs = self._hook("desired", "for_changes")
        return {} if needs is None else dict(needs(changes, organization))

    def read(self, ctx: Any, request: ReadRequest) -> Live:
        found: Live = self._hook("read", "read")(ctx, request)
        return found

    def read_organization(self, context: Any, request: Any) -> OrgModel | None:
        """The core kind's read: the live organization (None without one) for an
        organization read request."""
        assert self.info.core, f"{self.name} is not the core kind"
        found: OrgModel | None = self._hook("read", "read")(context, request)
        return found

    def diff(self, desired: Any, actual: Any, *, allow_close: bool = False) -> Any:
        """The core kind's plan (``diff.py``): the organization's changes, ids, unmanaged
        objects and pre-flight findings."""
        assert self.info.core, f"{self.name} is not the core kind; its diff is the generic one"
        return self._hook("diff", "diff")(desired, actual, allow_close)

    def executors(self) -> Mapping[tuple[str, str], Callable[..., dict[str, Any]]]:
        found: Mapping[tuple[str, str], Callable[..., dict[str, Any]]] = self._hook(
            "apply", "EXECUTORS"
        )
        return found

    def executor(self, type_: str, action: str) -> Callable[..., dict[str, Any]] | None:
        return self.executors().get((type_, action))

    def waits_for_types(self, type_: str, *, deleting: bool = False) -> tuple[str, ...]:
        """The types of this kind whose creates and updates a change of ``type_`` waits for
        (``WAITS_FOR``), or, ``deleting``, whose changes its delete waits for too
        (``DELETE_WAITS_FOR``)."""
        table = self._hook("apply", "DELETE_WAITS_FOR" if deleting else "WAITS_FOR") or {}
        return tuple(table.get(type_, ()))

    def waits_for(self, change: Any, changes: Any) -> set[int] | None:
        chosen = self._hook("apply", "waits_for")
        return None if chosen is None else chosen(change, changes)

    def detail(self, change: Any) -> str | None:
        """The plan line of a change (None: the kind has no ``render.py``)."""
        line = self._hook("render", "detail")
        return None if line is None else str(line(change))

    def warning(self, change: Any) -> tuple[str, str] | None:
        warn = self._hook("render", "warning")
        return None if warn is None else warn(change)

    def relations(self, model: Any, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The arrows the diagram draws for the kind (``view.py``'s ``relations``)."""
        draw = self._hook("view", "relations")
        return [] if draw is None else list(draw(model, resources))

    def report(self, model: Any, resources: Mapping[str, Any]) -> dict[str, Any]:
        """Where the report shows the kind (``view.py``'s ``report``; empty: under "Other
        resources")."""
        show = self._hook("view", "report")
        return {} if show is None else dict(show(model, resources))

    def discover(self, ctx: Any, request: DiscoverRequest) -> Discovered | None:
        """The kind's section as AWS has it (``discover.py``'s; None: the kind has none)."""
        if self._roles.get("discover") is None:
            return None
        found: Discovered = self._hook("discover", "discover")(ctx, request)
        return found

    def type_of(self, address: str) -> str:
        if self.info.owns:
            return address.split(":", 1)[0]
        if self.info.type_index is None:
            return ""
        return paths.raw_segments(address.split(":", 1)[1])[self.info.type_index]

    def removal(self, address: str) -> str:
        return self.info.removal.get(self.type_of(address), Removal.REPORT)


#: Role files every kind has.
REQUIRED_ROLES = ("desired", "read", "apply")
#: And the core kind's.
CORE_ROLES = ("diff",)


class _RoleFiles:
    """A kind's role files, each imported (and checked) the first time it is needed."""

    def __init__(self, kind: Kind) -> None:
        self._kind = kind
        self._loaded: dict[str, ModuleType | None] = {}
        self._lock = threading.Lock()  # the readers' threads ask at once

    def get(self, role: str) -> ModuleType | None:
        if role not in self._loaded:
            with self._lock:
                if role not in self._loaded:
                    self._loaded[role] = self._kind._role(role)
        required = REQUIRED_ROLES + (CORE_ROLES if self._kind.info.core else ())
        if self._loaded[role] is None and role in required:
            raise KindContractError([f"kinds/{self._kind.name}/{role}.py is missing"])
        return self._loaded[role]
