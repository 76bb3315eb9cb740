"""Member-account sessions through the access role, cached, refreshing before expiry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from orgstack.aws import members
from orgstack.aws.context import AwsContext
from orgstack.aws.members import MemberSessions
from tests.integration.conftest import OrgBuilder


def test_sessions_act_in_the_member_account_and_are_cached(
    brownfield: OrgBuilder, context: AwsContext
) -> None:
    sessions = MemberSessions(context, "OrganizationAccountAccessRole")
    lab = brownfield.ids["lab"]
    session = sessions.session(lab)
    assert session.client("sts", region_name="us-east-1").get_caller_identity()["Account"] == lab
    assert sessions.session(lab) is session
    assert context.stats.calls["sts.AssumeRole"] == 1
    assert sessions.role_arn(lab) == f"arn:aws:iam::{lab}:role/OrganizationAccountAccessRole"


def test_credentials_refresh_when_they_near_expiry(
    brownfield: OrgBuilder, context: AwsContext, monkeypatch: Any
) -> None:
    sessions = MemberSessions(context, "OrganizationAccountAccessRole")
    original = sessions._fetch

    def short_lived(account_id: str) -> dict[str, Any]:
        creds = original(account_id)
        creds["expiry_time"] = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
        return creds

    monkeypatch.setattr(sessions, "_fetch", short_lived)
    credentials = sessions.session(brownfield.ids["lab"]).get_credentials()
    assert credentials is not None
    credentials.get_frozen_credentials()  # within 15 minutes of expiry: botocore refreshes
    assert context.stats.calls["sts.AssumeRole"] >= 2


def test_sessions_and_clients_are_bounded_but_credentials_are_assumed_once(
    brownfield: OrgBuilder, context: AwsContext, monkeypatch: Any
) -> None:
    """Reading 5,000 accounts must not hold 5,000 clients (0.6 MB each): the least recently
    used go, and coming back to an account does not assume its role again."""
    monkeypatch.setattr(members, "MAX_CACHED", 2)
    sessions = MemberSessions(replace_workers(context, 0), "OrganizationAccountAccessRole")
    ids = [brownfield.ids[name] for name in ("web-prod", "web-dev", "lab")]
    first = sessions.client(ids[0], "iam")
    assert sessions.client(ids[0], "iam") is first
    for account_id in ids:
        sessions.client(account_id, "iam").list_roles()
    # No session per account either: clients are made from the context's session.
    cached = (len(sessions._clients), len(sessions._sessions), len(sessions._credentials))
    assert cached == (2, 0, 3)
    again = sessions.client(ids[0], "iam")
    assert again is not first  # evicted, made again
    assert again.list_roles()["Roles"]
    assert context.stats.calls["sts.AssumeRole"] == 3  # once per account, never again


def replace_workers(context: AwsContext, workers: int) -> AwsContext:
    context.options = dataclasses.replace(context.options, max_workers=workers)
    return context


def test_a_cached_client_is_made_again_once_its_credentials_near_expiry(
    brownfield: OrgBuilder, context: AwsContext, monkeypatch: Any
) -> None:
    sessions = MemberSessions(context, "OrganizationAccountAccessRole")
    lab = brownfield.ids["lab"]
    first = sessions.client(lab, "iam")
    assert sessions.client(lab, "iam") is first
    # 50 minutes later: within botocore's 15 minutes of the credentials' expiry.
    soon = datetime.now(UTC) + timedelta(minutes=10)
    monkeypatch.setattr(sessions.credentials(lab), "_expiry_time", soon)
    second = sessions.client(lab, "iam")
    assert second is not first  # made with the refreshed credentials
    assert sessions.client(lab, "iam") is second
    assert second.list_roles()["Roles"]
    assert context.stats.calls["sts.AssumeRole"] == 2
