"""live/: the organization read into the model, with read-only calls and the fewest of them."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import boto3
import pytest

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError
from orgstack.kinds.organization.read import read
from orgstack.kinds.organization.vocabulary import OrgRequest
from orgstack.model import Target
from tests.integration.conftest import FAST, OrgBuilder

READ_PREFIXES = ("Describe", "List", "Get")


def test_no_organization_reads_as_none(context: AwsContext) -> None:
    assert read(context, OrgRequest()) is None


def test_reads_tree_accounts_policies_and_only_the_tags_asked_for(
    brownfield: OrgBuilder, context: AwsContext
) -> None:
    ids = brownfield.ids
    wanted = {ids["web-prod"], ids["Workloads/Prod"]}
    model = read(context, OrgRequest(lambda object_id, _: object_id in wanted))
    assert model is not None
    assert model.organization.id is not None
    assert model.organization.policy_types == ("SERVICE_CONTROL_POLICY",)
    assert [(o.path, o.id, dict(o.tags)) for o in model.ous] == [
        ("Workloads", ids["Workloads"], {}),
        ("Sandbox", ids["Sandbox"], {}),
        ("Workloads/Prod", ids["Workloads/Prod"], {"tier": "1"}),
        ("Workloads/NonProd", ids["Workloads/NonProd"], {}),
    ]
    accounts = {
        a.name: (a.ou, a.purpose, dict(a.tags), a.status, a.joined_method) for a in model.accounts
    }
    assert accounts == {
        "master": ("root", "management", {}, "ACTIVE", "CREATED"),
        "web-prod": ("Workloads/Prod", "workload", {"team": "web"}, "ACTIVE", "CREATED"),
        "web-dev": ("Workloads/NonProd", "workload", {}, "ACTIVE", "CREATED"),  # tags not asked for
        "lab": ("Sandbox", "workload", {}, "ACTIVE", "CREATED"),
    }
    policies = {p.name: (p.aws_managed, set(p.targets)) for p in model.policies}
    assert policies["DenyLeave"] == (False, {Target("root"), Target("ou", "Workloads")})
    assert policies["FullAWSAccess"][0] is True
    assert len(policies["FullAWSAccess"][1]) == 1 + 4 + 4


def test_a_member_account_is_told_to_use_the_management_account(
    brownfield: OrgBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{brownfield.ids['lab']}:role/OrganizationAccountAccessRole",
        RoleSessionName="member-test",
    )["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", member["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", member["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", member["SessionToken"])
    with pytest.raises(AwsError) as caught:
        read(AwsContext(FAST), OrgRequest())
    assert caught.value.message.startswith(
        f"account {brownfield.ids['lab']} is a member of organization o-"
    )
    assert (
        caught.value.hint == "Run orgstack with credentials of the management account 123456789012."
    )


def test_large_organization_is_read_within_the_call_budget(orgs: Any, context: AwsContext) -> None:
    """1,000 accounts in 200 OUs with 10 policies: at most 2(OUs+1) + ceil(accounts/20) + 3P + 10."""
    org = OrgBuilder(orgs)
    leaves = []
    for top in range(20):
        org.ou(f"T{top}")
        for child in range(9):
            leaves.append(org.ou(f"T{top}/C{child}"))
    for i in range(1000):
        account = orgs.create_account(AccountName=f"acct-{i}", Email=f"a{i}@acme.example")[
            "CreateAccountStatus"
        ]["AccountId"]
        orgs.move_account(
            AccountId=account, SourceParentId=org.root, DestinationParentId=leaves[i % len(leaves)]
        )
    for p in range(10):
        org.scp(f"guard-{p}", f"T{p}")
    operations: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        assert model.name.startswith(READ_PREFIXES), f"live/ made a write call: {model.name}"
        operations[model.name] += 1

    client = context.client("organizations")
    client.meta.events.register("before-call.*.*", count)
    model = read(context, OrgRequest())
    assert model is not None
    assert (len(model.ous), len(model.accounts) - 1, len(model.policies) - 1) == (200, 1000, 10)
    budget = 2 * (200 + 1) + math.ceil(1000 / 20) + 3 * 10 + 10
    total = sum(operations.values())
    assert total <= budget, (total, budget, operations)
    assert (
        operations["ListParents"]
        == operations["ListPoliciesForTarget"]
        == operations["ListAccounts"]
        == 0
    )
    assert operations["ListAccountsForParent"] == 201
    assert operations["ListOrganizationalUnitsForParent"] == 201
