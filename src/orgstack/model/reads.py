"""What a kind's reader and ``discover`` are asked, and what they answer: ``ReadRequest`` (one
shape in a plan and in the stale check), ``Live``, ``DiscoverRequest`` and ``Discovered``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from orgstack.model.addresses import account_of


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
    #: States AWS has not finished (message, hint): what apply will wait on or leave waiting,
    #: e.g. a shared resource not yet visible in an account. Shown as "pending" in the plan.
    pending: list[tuple[str, str]] = field(default_factory=list)

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
        self.pending += other.pending
        self.problems += other.problems


@dataclass(frozen=True)
class ReadRequest:
    """What a kind's reader is asked for: one shape in a plan and in the stale check.

    ``targets``: address → the value to read it against. In a plan, what the spec wants (the
    kind's ``desired``); in the stale check, what the plan's changes name (``after``, or
    ``before`` for a delete). The values carry the names, Regions and keys a reader needs.
    ``accounts``: name → id of the spec's existing, active accounts; ``only``: the account
    names to limit the read to (a partial plan; the stale check: the accounts the plan
    touches); ``whole``: a whole plan, so the reader also looks for what orgstack made that is
    no longer a target (in every account of the organization); ``live``: the organization as
    just read (None: there is none yet); ``ids``: the plan's live ids, with what the kind's
    ``read_with`` adds (kept in the plan, so the stale check reads with the same).
    """

    targets: Mapping[str, Mapping[str, Any]]
    accounts: Mapping[str, str]
    only: frozenset[str] | None = None
    live: Any = None
    ids: Mapping[str, str] = field(default_factory=dict)
    whole: bool = False
    #: What the kind's ``read_with`` added to ``ids`` (the core keeps it in the plan's ids).
    read_with: Mapping[str, str] = field(default_factory=dict)

    def account_id(self, name: str) -> str | None:
        """The id of a spec account the read may enter (None: not created yet, not active, or
        outside ``only``)."""
        if self.only is not None and name not in self.only:
            return None
        return self.accounts.get(name)

    def readable(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """The targets in accounts the read may enter: address → (account id, value)."""
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for address, value in self.targets.items():
            if (account_id := self.account_id(account_of(address))) is not None:
                found[address] = (account_id, dict(value))
        return found

    def target_accounts(self) -> set[str]:
        """The names of the accounts the targets live in."""
        return {account_of(address) for address in self.targets}

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
        if not self.whole or self.live is None:
            return wanted
        known = set(wanted.values())
        for account in self.live.accounts:
            if not account.id or account.id in known or account.status not in (None, "ACTIVE"):
                continue
            wanted[account.name if account.name not in self.accounts else account.id] = account.id
        return wanted


@dataclass(frozen=True)
class DiscoverRequest:
    """What ``import`` asks a kind's ``discover``: the live organization (accounts with names
    and ids, delegated administrators, trusted access), the Region the imported spec calls
    home, and the spec being written (the core's sections and the sections other kinds found
    before this one, as plain data)."""

    live: Any
    home_region: str
    spec: Mapping[str, Any] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Account id → name, of the organization's active accounts."""
        return {a.id: a.name for a in self.live.accounts if a.id and a.status in (None, "ACTIVE")}


@dataclass
class Discovered:
    """What ``import`` found of a kind: its spec section (plain data; None: nothing to
    import), and what exists but cannot be written into the spec, with why."""

    section: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    #: Addresses of the organization's objects the section makes again (a backup policy):
    #: the import writes the section instead of them.
    replaces: list[str] = field(default_factory=list)
