"""What every executor works with: AWS, live ids, the journal, limits, hooks and events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orgstack.apply.journal import Journal, JournalState
from orgstack.aws.context import AwsContext
from orgstack.aws.members import AccountClients, MemberSessions
from orgstack.errors import ExitCode, OrgstackError
from orgstack.plan.resources import resolve

Event = dict[str, Any]


@dataclass(frozen=True)
class ApplyOptions:
    """Limits and waits of an apply; the defaults follow AWS's limits."""

    max_workers: int = 8
    max_creations: int = 5  # AWS: 5 account creations in progress at once
    max_closures: int = 3
    poll_initial_s: float = 2.0
    poll_max_s: float = 30.0
    creation_timeout_s: float = 1800.0
    #: How long a change waits on an asynchronous state of AWS (e.g. a RAM share becoming
    #: visible) before the apply leaves it waiting for a later apply.
    pending_after_s: float = 300.0
    #: A new organization refuses CreateAccount (FinalizingOrganizationException) until AWS
    #: has finished setting it up: "up to an hour".
    finalizing_timeout_s: float = 3600.0
    finalizing_poll_s: float = 30.0
    readiness_attempts: int = 10
    retries: int = 6
    retry_base_s: float = 1.0
    allow_lockout: bool = False
    access_role: str = "OrganizationAccountAccessRole"


class ApplyError(OrgstackError):
    """A change could not be made; the message says why and the hint what to do next."""


class AwsPendingError(ApplyError):
    """A change waits on a state AWS has not finished (a share not yet visible, a request not
    yet granted): not a failure; the apply leaves it waiting and a later one continues it."""

    exit_code = ExitCode.PENDING


@dataclass
class ExecContext:
    """Shared by the changes of one apply; thread-safe."""

    aws: AwsContext
    journal: Journal
    options: ApplyOptions
    ids: dict[str, str]
    resumed: JournalState
    emit: Callable[[Event], None] = field(default=lambda _event: None)
    checkpoint: Callable[[int, str], None] = field(default=lambda _index, _phase: None)
    sleep: Callable[[float], None] = time.sleep
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _management_id: str | None = None
    _accounts: AccountClients | None = None
    creations: threading.Semaphore = field(init=False)
    closures: threading.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.creations = threading.Semaphore(self.options.max_creations)
        self.closures = threading.Semaphore(self.options.max_closures)

    @property
    def orgs(self) -> Any:
        return self.aws.client("organizations")

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self.aws.call(self.orgs, operation, **kwargs)

    def id_of(self, address: str) -> str:
        with self._lock:
            found = self.ids.get(address)
        if found is None:
            raise ApplyError(
                f"no live id for {address}",
                "It should have been created earlier in this apply; plan again.",
            )
        return found

    def set_id(self, address: str, live_id: str) -> None:
        with self._lock:
            self.ids[address] = live_id

    def management_id(self) -> str:
        """The management account's id, asked of AWS once per apply."""
        with self._lock:
            cached = self._management_id
        if cached is None:
            cached = str(self.call("describe_organization")["Organization"]["MasterAccountId"])
            with self._lock:
                self._management_id = cached
        return cached

    def accounts(self) -> AccountClients:
        """Clients per account: the account orgstack runs in directly, member accounts through
        the access role (one set of sessions for the stale check and the executors)."""
        with self._lock:
            if self._accounts is not None:
                return self._accounts
        clients = AccountClients(self.aws, self.aws.caller_account(), self.options.access_role)
        with self._lock:
            if self._accounts is None:
                self._accounts = clients
            return self._accounts

    def member_client(self, account: str, service: str, region: str | None = None) -> Any:
        """A client in the account named ``account`` (its id known by now)."""
        return self.accounts().client(self.id_of(f"account:{account}"), service, region)

    def resolved(self, value: Any) -> Any:
        """``value`` with every ``{account:NAME}`` replaced by the id known so far."""
        with self._lock:
            ids = dict(self.ids)
        return resolve(value, ids)

    def propagated(self, codes: frozenset[str], call: Callable[[], Any]) -> Any:
        """``call()``, again while AWS answers one of ``codes``: what it says for a while after
        a change it has not propagated yet (a bucket policy, a new role, trusted access).
        Waits double from ``retry_base_s``, ``retries`` times, then the error stands."""
        from orgstack.aws.errors import AwsError

        wait = self.options.retry_base_s
        for attempt in range(self.options.retries + 1):
            try:
                return call()
            except AwsError as exc:
                if exc.code not in codes or attempt == self.options.retries:
                    raise
                self.sleep(wait)
                wait = min(wait * 2, self.options.poll_max_s)
        raise AssertionError("unreachable")

    def members(self) -> MemberSessions:
        """The member sessions behind ``accounts()``: one AssumeRole per account per apply."""
        return self.accounts().members
