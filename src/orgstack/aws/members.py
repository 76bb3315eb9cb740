"""Member-account machinery for every kind: sessions through the organization access role
(refreshed before expiry, sharing the loaded service models), and clients per account."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.credentials import RefreshableCredentials
from botocore.session import get_session

from orgstack.aws.context import AwsContext
from orgstack.aws.readonly import guard_reads

SESSION_NAME = "orgstack"
DURATION_S = 3600


class MemberSessions:
    """One cached, self-refreshing session per member account (botocore refreshes 15 minutes
    before expiry, under its own lock), all assumed through the context's STS client.

    IAM actions: sts:AssumeRole
    """

    def __init__(self, context: AwsContext, role_name: str) -> None:
        self.context = context
        self.role_name = role_name
        self._sessions: dict[str, boto3.Session] = {}
        self._clients: dict[tuple[str, str, str | None, bool], Any] = {}
        self._lock = threading.Lock()

    def client(
        self, account_id: str, service: str, region: str | None = None, *, read_only: bool = False
    ) -> Any:
        """A client in ``account_id`` under the shared limiter (``read_only``: one that refuses
        every operation but reads)."""
        key = (account_id, service, region, read_only)
        session = self.session(account_id)
        with self._lock:
            if key not in self._clients:
                client = self.context.make_client(session, service, region)
                if read_only:
                    guard_reads(client)
                self._clients[key] = client
            return self._clients[key]

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

    def session(self, account_id: str) -> boto3.Session:
        """The account's session; AssumeRole runs outside the lock, so many accounts are
        entered concurrently (a rare double fetch for the same account is harmless)."""
        with self._lock:
            found = self._sessions.get(account_id)
        if found is not None:
            return found
        credentials = RefreshableCredentials.create_from_metadata(
            metadata=self._fetch(account_id),
            refresh_using=lambda: self._fetch(account_id),
            method="sts-assume-role",
        )
        core = get_session()
        # Share the loaded service models: parsing them again per account costs ~0.2 s of CPU.
        base = self.context.session._session
        core.register_component("data_loader", base.get_component("data_loader"))
        # botocore has no public setter for refreshable credentials on a session.
        setattr(core, "_credentials", credentials)  # noqa: B010
        core.set_config_variable("region", self.context.session.region_name)
        with self._lock:
            return self._sessions.setdefault(account_id, boto3.Session(botocore_session=core))


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
