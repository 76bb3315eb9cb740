"""Policies of library guardrails on moto: applied as one SCP each, plan empty afterwards; a
newer library (a changed guardrail) shows up in the plan as an update of that policy only."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import boto3
import pytest

from orgstack.plan.model import Action
from orgstack.spec import guardrails
from tests.integration.test_apply import apply_now, plan_now

SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {}}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: Workloads, stage: dev}
policies:
  baseline:
    type: service_control
    guardrails: [deny-leave-organization, deny-root-user]
    targets: [root]
  protect-platform:
    type: service_control
    guardrails: [protect-access-role, protect-logging, protect-log-bucket, protect-security-services]
    targets: [root]
"""


def test_a_library_update_is_a_policy_update_in_the_plan(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    client = boto3.client("organizations", region_name="us-east-1")
    live = {
        p["Name"]: json.loads(client.describe_policy(PolicyId=p["Id"])["Policy"]["Content"])
        for p in client.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    }
    assert [s["Sid"] for s in live["baseline"]["Statement"]] == [
        "DenyLeaveOrganization", "DenyRootUserInMemberAccounts",
    ]  # fmt: skip
    assert plan_now()[0].empty

    # orgstack's next release widens deny-root-user's statement
    current = guardrails.library()
    changed = dict(current)
    old = current["deny-root-user"]
    document = json.loads(json.dumps(old.document))
    document["Statement"][0]["Condition"]["StringLike"]["aws:PrincipalArn"] = [
        "arn:aws:iam::*:root",
        "arn:aws:sts::*:assumed-root/*",
    ]
    changed["deny-root-user"] = replace(old, version=2, document=document)
    monkeypatch.setattr(guardrails, "library", lambda: changed)
    plan = plan_now()[0]
    updates = [(c.address, c.action) for c in plan.changes]
    assert updates == [("scp:baseline", Action.UPDATE)]
    after = plan.changes[0].after or {}
    statement = after["content"]["Statement"][1]
    assert statement["Condition"]["StringLike"]["aws:PrincipalArn"][1] == (
        "arn:aws:sts::*:assumed-root/*"
    )


def test_adopting_a_changed_guardrail_built_policy_is_refused_and_the_spec_still_loads(
    aws: None, workdir: Path
) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    client = boto3.client("organizations", region_name="us-east-1")
    baseline = next(
        p
        for p in client.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "baseline"
    )
    edited = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
    ]}  # fmt: skip
    client.update_policy(PolicyId=baseline["Id"], Content=json.dumps(edited))

    adopted = api.drift("orgstack.yaml", FAST, adopt=True)
    assert adopted.skipped == [
        "scp:baseline: update (its content is built from guardrails deny-leave-organization, "
        "deny-root-user, which do not say what AWS has now; change the guardrails, replace "
        "them with content:, or apply to revert it)"
    ]
    assert (workdir / "orgstack.yaml").read_text() == SPEC
    plan = plan_now()[0]
    assert [(c.action.value, c.address) for c in plan.changes] == [("update", "scp:baseline")]
