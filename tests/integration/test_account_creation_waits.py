"""Account creation as real AWS does it, beyond moto: a brand-new organization refuses new
accounts for up to an hour (FinalizingOrganizationException), and a new account's access role
can take minutes to become assumable while the account is already in its OU."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core.exceptions import JsonRESTError
from moto.organizations import models

from orgstack import api
from orgstack.apply.context import ApplyError, ApplyOptions
from tests.integration.conftest import FAST
from tests.integration.test_apply import plan_now

SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {}}
accounts:
  web-prod: {purpose: workload, stage: prod, ou: Workloads}
"""
QUICK = ApplyOptions(poll_initial_s=0.001, poll_max_s=0.002, retry_base_s=0.001)


def finalizing(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """CreateAccount refused ``times`` times, as AWS does while a new organization settles."""
    original = models.OrganizationsBackend.create_account
    refused = [0]

    def create_account(self: Any, **kwargs: Any) -> Any:
        if refused[0] < times:
            refused[0] += 1
            raise JsonRESTError(
                "FinalizingOrganizationException",
                "Your organization hasn't finished initializing. Try again later.",
            )
        return original(self, **kwargs)

    monkeypatch.setattr(models.OrganizationsBackend, "create_account", create_account)
    return refused


def test_a_finalizing_organization_is_waited_for_with_a_countdown(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    refused = finalizing(monkeypatch, 3)
    plan, data = plan_now()
    events: list[dict[str, Any]] = []
    options = ApplyOptions(
        poll_initial_s=0.001, poll_max_s=0.002, retry_base_s=0.001, finalizing_poll_s=0.001
    )
    result = api.apply_plan(plan, data, FAST, options, emit=events.append)
    assert result.ok and refused == [3]
    waits = [e for e in events if e["event"] == "waiting" and e["state"] != "IN_PROGRESS"]
    assert [(e["address"], e["state"]) for e in waits] == [
        ("account:web-prod", "organization finalizing")
    ] * 3
    assert all(0 < e["left_s"] <= 3600 for e in waits)
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()


def test_an_organization_still_finalizing_after_the_hour_is_a_clear_error(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    finalizing(monkeypatch, 10**6)
    plan, data = plan_now()
    options = ApplyOptions(
        poll_initial_s=0.001, retry_base_s=0.001, finalizing_timeout_s=0.05, finalizing_poll_s=0.01
    )
    result = api.apply_plan(plan, data, FAST, options)
    [error] = [e for e in result.outcome.failed.values() if "setting up" in e.message]
    assert error.message.startswith("AWS is still setting up the new organization after ")
    assert error.hint == "AWS says this can take up to an hour; `orgstack apply --resume` later."


def test_a_new_account_is_in_its_ou_before_its_access_role_is_assumable(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgstack.kinds.organization import apply_account as account

    (workdir / "orgstack.yaml").write_text(SPEC)

    def not_yet(_ctx: Any, account_id: str, name: str) -> None:
        raise ApplyError(f"account {name} ({account_id}) exists, but its role is not ready")

    ready = account._ready
    monkeypatch.setattr(account, "_ready", not_yet)
    plan, data = plan_now()
    result = api.apply_plan(plan, data, FAST, QUICK)
    assert not result.ok
    client = boto3.client("organizations", region_name="us-east-1")
    [created] = [a for a in client.list_accounts()["Accounts"] if a["Name"] == "web-prod"]
    [parent] = client.list_parents(ChildId=created["Id"])["Parents"]
    assert parent["Type"] == "ORGANIZATIONAL_UNIT"  # under its OU's guardrails already
    monkeypatch.setattr(account, "_ready", ready)
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()
