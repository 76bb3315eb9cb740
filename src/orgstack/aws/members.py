"""Member-account machinery for every kind: credentials through the organization access role
(refreshed before expiry), sessions sharing the loaded service models, and clients per
account, in bounded caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, cast

import boto3
from botocore.credentials import RefreshableCredentials
from botocore.session import get_session

from orgstack.aws.context import AwsContext
from orgstack.aws.readonly import guard_reads

SESSION_NAME = "orgstack"
DURATION_S = 3600


#: Clients and sessions kept at once (a client with its session costs about 0.6 MB: 5,000
#: accounts would cost 3 GB); credentials, a few hundred bytes each, are kept for every account.
MAX_CACHED = 64


class _Bounded(OrderedDict[Any, Any]):
    """A least-recently-used mapping of at most ``limit`` entries. An evicted client is not
    closed (a thread may still be using it): it goes once nothing refers to it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def get_recent(self, key: Any) -> Any:
        found = self.get(key)
        if found is not None:
            self.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> Any:
        found = self.setdefault(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)
        return found


class MemberSessions:
    """Self-refreshing credentials per member account (botocore refreshes them 15 minutes
    before expiry, under its own lock), all assumed through the context's STS client once per
    account; clients (made from the context's session with the account's current credentials)
    and sessions are kept in bounded caches, so reading 5,000 accounts holds a few dozen
    clients, not 5,000.

    IAM actions: sts:AssumeRole
    """

    def __init__(self, context: AwsContext, role_name: str) -> None:
        self.context = context
        self.role_name = role_name
        limit = max(MAX_CACHED, 4 * context.options.max_workers)
        self._credentials: dict[str, RefreshableCredentials] = {}
        #: One gate per account: two readers entering the same account wait for one AssumeRole.
        self._gates: dict[str, threading.Lock] = {}
        self._sessions = _Bounded(limit)
        self._clients = _Bounded(limit)
        self._lock = threading.Lock()

    def client(
        self, account_id: str, service: str, region: str | None = None, *, read_only: bool = False
    ) -> Any:
        """A client in ``account_id`` under the shared limiter (``read_only``: one that refuses
        every operation but reads)."""
        key = (account_id, service, region, read_only)
        credentials = self.credentials(account_id)
        with self._lock:
            found = self._clients.get_recent(key)
        # A cached client has the credentials it was made with: once botocore would refresh
        # them (15 minutes before expiry), a new client gets the refreshed ones.
        if found is not None and not credentials.refresh_needed():
            return found
        # AWS throttles a member account's calls in that account: its own family.
        client = self.context.client_with(
            credentials.get_frozen_credentials(), service, region, f"{service}@{account_id}"
        )
        if read_only:
            guard_reads(client)
        with self._lock:
            self._clients.pop(key, None)  # an outdated one
            return self._clients.put(key, client)

    def role_arn(self, account_id: str) -> str:
        return f"arn:aws:iam::{account_id}:role/{self.role_name}"

    def _fetch(self, account_id: str) -> dict[str, Any]:
        answer = self.context.call(
            self.context.client("sts"),
            "assume_role",
            RoleArn=self.role_arn(account_id),
            RoleSessionName=SESSION_NAME,
            DurationSeconds=DURATION_S,
        )
        creds = answer["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    def credentials(self, account_id: str) -> RefreshableCredentials:
        """The account's credentials, assumed once: AssumeRole runs under the account's own
        gate, so many accounts are entered concurrently and two readers of one account wait
        for one call."""
        with self._lock:
            found = self._credentials.get(account_id)
            gate = self._gates.setdefault(account_id, threading.Lock())
        if found is not None:
            return found
        with gate:
            with self._lock:
                found = self._credentials.get(account_id)
            if found is not None:
                return found
            made = RefreshableCredentials.create_from_metadata(
                metadata=self._fetch(account_id),
                refresh_using=lambda: self._fetch(account_id),
                method="sts-assume-role",
            )
            with self._lock:
                return self._credentials.setdefault(account_id, made)

    def session(self, account_id: str) -> boto3.Session:
        """A session with the account's credentials (kept while recently used)."""
        with self._lock:
            found = self._sessions.get_recent(account_id)
        if found is not None:
            return cast(boto3.Session, found)
        credentials = self.credentials(account_id)
        core = get_session()
        # Share the loaded service models: parsing them again per account costs ~0.2 s of CPU.
        base = self.context.session._session
        core.register_component("data_loader", base.get_component("data_loader"))
        # botocore has no public setter for refreshable credentials on a session.
        setattr(core, "_credentials", credentials)  # noqa: B010
        core.set_config_variable("region", self.context.session.region_name)
        with self._lock:
            return cast(
                boto3.Session, self._sessions.put(account_id, boto3.Session(botocore_session=core))
            )


class AccountClients:
    """Clients per account: the account orgstack runs in (``home``) directly, every other
    through the organization access role. ``read_only`` clients refuse any write."""

    def __init__(
        self,
        context: AwsContext,
        home: str,
        role: str,
        *,
        members: MemberSessions | None = None,
        read_only: bool = False,
    ) -> None:
        self.context = context
        self.home = home
        self.members = members or MemberSessions(context, role)
        self.read_only = read_only
        self._own: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()

    def client(self, account_id: str, service: str = "iam", region: str | None = None) -> Any:
        if account_id != self.home:
            return self.members.client(account_id, service, region, read_only=self.read_only)
        if not self.read_only:
            return self.context.client(service, region)
        with self._lock:
            if (service, region) not in self._own:
                client = self.context.make_client(
                    self.context.session, service, self.context.region_for(service, region)
                )
                guard_reads(client)
                self._own[(service, region)] = client
            return self._own[(service, region)]

    def reading(self) -> AccountClients:
        """The same accounts and sessions, with clients that refuse any write."""
        return AccountClients(
            self.context, self.home, self.members.role_name, members=self.members, read_only=True
        )
