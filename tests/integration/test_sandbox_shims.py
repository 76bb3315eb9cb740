"""The sandbox refuses and keeps what AWS refuses and keeps: each shim against plain moto's
behaviour (the alias and contact shims are exercised by their kinds' tests)."""

from __future__ import annotations

import json

import boto3

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


def test_update_role_changes_only_the_fields_it_is_given(aws: None) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_role(
        RoleName="r",
        AssumeRolePolicyDocument=json.dumps(TRUST),
        Description="what it is for",
        MaxSessionDuration=14400,
    )
    iam.update_role(RoleName="r", MaxSessionDuration=7200)
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("what it is for", 7200)
    iam.update_role(RoleName="r", Description="new purpose")
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("new purpose", 7200)


def test_a_user_without_service_specific_credentials_lists_none(aws: None) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="bo")
    answer = iam.list_service_specific_credentials(UserName="bo")
    assert answer["ServiceSpecificCredentials"] == []
