"""Sessions in member accounts through the organization access role, refreshed before expiry."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.credentials import RefreshableCredentials
from botocore.session import get_session

from orgstack.aws.context import AwsContext

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
        self._lock = threading.Lock()

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
        with self._lock:
            if account_id not in self._sessions:
                credentials = RefreshableCredentials.create_from_metadata(
                    metadata=self._fetch(account_id),
                    refresh_using=lambda: self._fetch(account_id),
                    method="sts-assume-role",
                )
                core = get_session()
                # botocore has no public setter for refreshable credentials on a session.
                setattr(core, "_credentials", credentials)  # noqa: B010
                core.set_config_variable("region", self.context.session.region_name)
                self._sessions[account_id] = boto3.Session(botocore_session=core)
            return self._sessions[account_id]
