"""The enforcing sandbox's policy evaluation (sandbox/shims/evaluation.py) decides as AWS's
policy evaluation logic does, and fails closed: a Deny it cannot evaluate denies."""

from __future__ import annotations

from typing import Any

import pytest

from orgstack.sandbox.shims.evaluation import Caller, Policies, Request, decide, evaluate

ACCOUNT = "111111111111"
ADMIN = Caller(
    f"arn:aws:sts::{ACCOUNT}:assumed-role/orgstack-Admin/dana",
    ACCOUNT,
    f"arn:aws:iam::{ACCOUNT}:role/orgstack-Admin",
)
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234"
ALLOW_ALL: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def request(action: str = "kms:ScheduleKeyDeletion", **context: Any) -> Request:
    return Request(ADMIN, action, KEY, {"aws:PrincipalArn": ADMIN.principal_arn, **context})


def deny(condition: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": "Guard",
        "Effect": "Deny",
        "Action": "kms:ScheduleKeyDeletion",
        "Resource": "*",
        **extra,
    }
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize(
    ("name", "condition", "extra"),
    [
        ("an operator AWS does not have", {"StringEqualsMaybe": {"aws:PrincipalArn": "x"}}, {}),
        ("a key of another case", {"StringEquals": {"AWS:PRINCIPALARN": ADMIN.principal_arn}}, {}),
        (
            "ForAllValues over a missing key",
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}},
            {},
        ),
        (
            "a negated operator on a missing key",
            {"StringNotEquals": {"aws:PrincipalTag/team": "sec"}},
            {},
        ),
        ("IfExists on a missing key", {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, {}),
        (
            "NotPrincipal naming someone else",
            None,
            {"NotPrincipal": {"AWS": "arn:aws:iam::222222222222:root"}},
        ),
        ("a Principal of everyone", None, {"Principal": "*"}),
        (
            "a date before the session's issue",
            {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}},
            {},
        ),
    ],
)
def test_a_deny_applies_where_aws_applies_it(
    name: str, condition: dict[str, Any] | None, extra: dict[str, Any]
) -> None:
    key_policy = deny(condition, **extra)
    key_policy["Statement"].append(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    )
    why = decide(
        request(**{"aws:TokenIssueTime": "2026-12-07T10:00:00+00:00"}),
        Policies(
            identity=(ALLOW_ALL,), resource=key_policy, resource_name="the key policy", key=True
        ),
    )
    assert why == "explicitly denied by the key policy (Guard)", name


@pytest.mark.parametrize(
    ("condition", "extra"),
    [
        ({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/orgstack-Admin"}}, {}),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {}),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, {}),
        ({"Null": {"aws:PrincipalArn": "true"}}, {}),
        (None, {"NotPrincipal": {"AWS": ADMIN.principal_arn}}),
        ({"DateLessThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}}, {}),
    ],
)
def test_a_deny_that_does_not_match_leaves_the_allow(
    condition: dict[str, Any] | None, extra: dict[str, Any]
) -> None:
    outcome = evaluate(
        [deny(condition, **extra)],
        request(**{"aws:TokenIssueTime": "2026-12-07T10:00:00+00:00"}),
        principals=True,
    )
    assert outcome.denied is None


def test_an_allow_it_cannot_evaluate_does_not_allow() -> None:
    unknown = {"StringEqualsMaybe": {"aws:PrincipalArn": ADMIN.principal_arn}}
    allow = {"Statement": [{**ALLOW_ALL["Statement"][0], "Condition": unknown}]}
    assert decide(request(), Policies(identity=(allow,))) == "no policy allows it"


def test_a_role_sessions_identity_policies_count() -> None:
    nothing = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    assert decide(request("iam:CreateRole"), Policies(identity=(nothing,))) == "no policy allows it"
    assert decide(request("iam:CreateRole"), Policies(identity=(ALLOW_ALL,))) is None


def test_every_scp_level_must_allow_and_a_deny_at_any_level_wins() -> None:
    guard = {
        "Statement": [
            {
                "Sid": "ProtectBreakGlass",
                "Effect": "Deny",
                "Action": "iam:CreateRole",
                "Resource": "arn:aws:iam::*:role/OrgstackBreakGlass",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"
                    }
                },
            }
        ]
    }
    create = Request(
        ADMIN,
        "iam:CreateRole",
        f"arn:aws:iam::{ACCOUNT}:role/OrgstackBreakGlass",
        {"aws:PrincipalArn": ADMIN.principal_arn},
    )
    scps = (("the root", (ALLOW_ALL, guard)), ("OU Security", (ALLOW_ALL,)))
    assert (
        decide(create, Policies(scps=scps, identity=(ALLOW_ALL,)))
        == "explicitly denied by an SCP at the root (ProtectBreakGlass)"
    )
    other = Request(
        ADMIN,
        "iam:CreateRole",
        f"arn:aws:iam::{ACCOUNT}:role/app",
        {"aws:PrincipalArn": ADMIN.principal_arn},
    )
    assert decide(other, Policies(scps=scps, identity=(ALLOW_ALL,))) is None
    narrowed = (("the root", (ALLOW_ALL,)), ("OU Security", ()))
    assert (
        decide(other, Policies(scps=narrowed, identity=(ALLOW_ALL,)))
        == "no SCP at OU Security allows it"
    )


def test_a_key_policy_must_allow_itself_or_through_the_accounts_root() -> None:
    own = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::333333333333:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
    }
    assert (
        decide(
            request(),
            Policies(identity=(ALLOW_ALL,), resource=own, resource_name="the key policy", key=True),
        )
        == "the key policy does not allow it"
    )
    root = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
    }
    assert decide(request(), Policies(identity=(ALLOW_ALL,), resource=root, key=True)) is None
    assert (
        decide(
            request(),
            Policies(identity=(), resource=root, resource_name="the key policy", key=True),
        )
        == "the key policy does not allow it"
    )
    named = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ADMIN.principal_arn},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
    }
    assert decide(request(), Policies(identity=(), resource=named, key=True)) is None
