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
from orgstack.model import PolicyType
from tests.integration.conftest import FAST, OrgBuilder
from tests.integration.test_apply import QUICK, apply_now, plan_now
from tests.integration.test_policy_types import KEPT

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
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example',
  attribute_tags: {purpose: null, stage: null}}
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


PLAIN_MOTO = """
import boto3, json, sys
TYPES = sys.argv[1:]
from moto import mock_aws
with mock_aws():
    c = boto3.client("organizations", region_name="us-east-1")
    c.create_organization(FeatureSet="ALL")
    found = {}
    for t in TYPES:
        try:
            c.create_policy(Name=t, Description="", Type=t, Content="{}")
            found[t] = "created"
        except Exception as e:
            found[t] = getattr(e, "response", {}).get("Error", {}).get("Code") or type(e).__name__
    print(json.dumps(found))
"""

EVERY_TYPE = {
    "service_control": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}],
    },
    "resource_control": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                       "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}],
    },
    "tag": {"tags": {"stage": {"tag_key": {"@@assign": "stage"}}}},
    "backup": {"plans": {"daily": {"regions": {"@@assign": ["us-east-1"]}}}},
    "aiservices_opt_out": {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}},
    "declarative": {
        "ec2_attributes": {"serial_console_access": {"status": {"@@assign": "disabled"}}}
    },
    "chatbot": {"chatbot": {"platforms": {"slack": {"client": {"@@assign": "disabled"}}}}},
    **{t.value: KEPT[t.aws_name] for t in PolicyType if t.aws_name in KEPT},
}  # fmt: skip


def test_plain_moto_lacks_eleven_policy_types_and_the_sandbox_has_them(orgs: Any) -> None:
    import subprocess
    import sys

    from orgstack.sandbox.shims.organizations import MISSING_TYPES

    plain = subprocess.run(
        [sys.executable, "-c", PLAIN_MOTO, *MISSING_TYPES],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(plain.stdout) == {
        t: "NotImplementedError" if t == "BACKUP_POLICY" else "InvalidInputException"
        for t in MISSING_TYPES
    }  # BACKUP_POLICY: an internal error on the server
    org = OrgBuilder(orgs)
    organization = orgs.describe_organization()["Organization"]["Id"]
    for aws_type, segment in MISSING_TYPES.items():
        code, _ = refused(orgs.attach_policy, PolicyId=orgs.create_policy(
            Name=aws_type, Description="", Type=aws_type, Content="{}",
        )["Policy"]["PolicySummary"]["Id"], TargetId=org.root)  # fmt: skip
        assert code == "PolicyTypeNotEnabledException"
        orgs.enable_policy_type(RootId=org.root, PolicyType=aws_type)
        listed = orgs.list_policies(Filter=aws_type)["Policies"]
        assert [p["Name"] for p in listed] == [aws_type]
        assert listed[0]["Arn"].endswith(f":policy/{organization}/{segment}/{listed[0]['Id']}")
        orgs.attach_policy(PolicyId=listed[0]["Id"], TargetId=org.root)
        targets = orgs.list_targets_for_policy(PolicyId=listed[0]["Id"])["Targets"]
        assert [t["TargetId"] for t in targets] == [org.root]


def test_a_policy_of_every_type_is_planned_applied_and_read_back(aws: None, workdir: Path) -> None:
    policies = "".join(
        f"  {kind} policy:\n    type: {kind}\n    content: {json.dumps(content)}\n"
        "    targets: [ou:Workloads]\n"
        for kind, content in EVERY_TYPE.items()
    )
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1, email_pattern: 'a+{account}@b.example'}\n"
        "organizational_units: {Workloads: {}}\n"
        "accounts:\n  management: {purpose: management, ou: root}\n"
        "policies:\n" + policies
    )
    plan, data = plan_now()
    assert sorted(c.address for c in plan.changes if c.address.startswith("policy-type")) == [
        f"policy-type:{t}" for t in sorted(p.aws_name for p in PolicyType)
    ]
    assert apply_now(plan, data).ok
    again, _ = plan_now()
    assert again.changes == ()
    orgs = boto3.client("organizations", region_name="us-east-1")
    enabled = {t["Type"] for t in orgs.list_roots()["Roots"][0]["PolicyTypes"]}
    for kind in EVERY_TYPE:
        aws_type = PolicyType(kind).aws_name
        assert aws_type in enabled
        names = [p["Name"] for p in orgs.list_policies(Filter=aws_type)["Policies"]]
        assert f"{kind} policy" in names
