"""The sandbox refuses what AWS Organizations refuses (moto accepts every case below), and a
plan that renames an account enables the trusted access PutAccountName needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orgstack import api
from tests.integration.conftest import FAST, OrgBuilder
from tests.integration.test_apply import QUICK, apply_now, plan_now

ALLOW = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def refused(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_policy_size_json_and_count_per_target_are_refused(orgs: Any) -> None:
    org = OrgBuilder(orgs)
    big = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": [f"s3:Get{i:04d}" for i in range(400)], "Resource": "*"}]}  # fmt: skip
    code, message = refused(
        orgs.create_policy, Name="big", Description="", Type="SERVICE_CONTROL_POLICY",
        Content=json.dumps(big, separators=(",", ":")),
    )  # fmt: skip
    assert code == "ConstraintViolationException" and "POLICY_CONTENT_LIMIT_EXCEEDED" in message
    code, _ = refused(
        orgs.create_policy, Name="bad", Description="", Type="SERVICE_CONTROL_POLICY",
        Content="{not json",
    )  # fmt: skip
    assert code == "MalformedPolicyDocumentException"
    # FullAWSAccess is one of the five on the root already.
    for i in range(4):
        org.scp(f"allow{i}", "root", content=ALLOW)
    policy = orgs.create_policy(
        Name="sixth", Description="", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(ALLOW)
    )["Policy"]["PolicySummary"]["Id"]
    code, message = refused(orgs.attach_policy, PolicyId=policy, TargetId=org.root)
    assert code == "ConstraintViolationException" and "POLICY_NUMBER_LIMIT_EXCEEDED" in message


def test_a_policy_of_a_type_the_root_has_not_enabled_cannot_be_attached(orgs: Any) -> None:
    org = OrgBuilder(orgs)
    tag = orgs.create_policy(
        Name="tags", Description="", Type="TAG_POLICY", Content=json.dumps({"tags": {}})
    )["Policy"]["PolicySummary"]["Id"]
    assert refused(orgs.attach_policy, PolicyId=tag, TargetId=org.root)[0] == (
        "PolicyTypeNotEnabledException"
    )
    orgs.enable_policy_type(RootId=org.root, PolicyType="TAG_POLICY")
    orgs.attach_policy(PolicyId=tag, TargetId=org.root)


def test_ou_depth_duplicate_names_and_name_lengths_are_refused(orgs: Any) -> None:
    org = OrgBuilder(orgs)
    path = ""
    for level in range(5):
        path = f"{path}/L{level}" if path else f"L{level}"
        org.ou(path)
    code, message = refused(orgs.create_organizational_unit, ParentId=org.ids[path], Name="L5")
    assert code == "ConstraintViolationException" and "OU_DEPTH_LIMIT_EXCEEDED" in message
    assert refused(orgs.create_organizational_unit, ParentId=org.root, Name="L0")[0] == (
        "DuplicateOrganizationalUnitException"
    )
    org.ou("L0/Same")  # the same name under another parent is fine
    org.ou("Other")
    orgs.update_organizational_unit(OrganizationalUnitId=org.ids["Other"], Name="Same")
    assert refused(orgs.create_organizational_unit, ParentId=org.root, Name="x" * 129)[0] == (
        "InvalidInputException"
    )
    assert refused(orgs.create_account, AccountName="a" * 51, Email="a@acme.example")[0] == (
        "InvalidInputException"
    )


RENAME = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  %s: {purpose: workload, stage: prod, ou: root, id: '%s', email: web@acme.example}
"""


def test_renaming_an_account_plans_the_trusted_access_put_account_name_needs(
    orgs: Any, workdir: Path
) -> None:
    org = OrgBuilder(orgs)
    account = org.account("web")
    account_client = boto3.client("account", region_name="us-east-1")
    code, _ = refused(account_client.put_account_name, AccountId=account, AccountName="x")
    assert code == "AccessDeniedException"  # as on AWS, without trusted access
    (workdir / "orgstack.yaml").write_text(RENAME % ("web-prod", account))
    plan, data = plan_now()
    assert [(c.address, c.action.value, c.reason) for c in plan.changes] == [
        ("account:web-prod", "update", "differs from the spec"),
        (
            "trusted-access:organization/account.amazonaws.com",
            "create",
            "renaming web-prod (PutAccountName) needs it",
        ),
    ]
    assert apply_now(plan, data, options=QUICK).ok
    names = {a["Id"]: a["Name"] for a in orgs.list_accounts()["Accounts"]}
    assert names[account] == "web-prod"
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()
