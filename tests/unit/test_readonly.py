"""Readers cannot write: a guarded client refuses every operation but reads, before sending."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from orgstack.aws.readonly import WriteRefusedError, guard_reads, is_read


def test_only_describe_list_get_and_named_exceptions_are_reads() -> None:
    assert [is_read(op) for op in ("ListRoles", "GetRole", "DescribeOrganization")] == [True] * 3
    assert [is_read(op) for op in ("CreateRole", "PutRolePolicy", "TagResource")] == [False] * 3
    assert is_read("AssumeRole")


def test_a_guarded_client_refuses_a_write_and_serves_a_read() -> None:
    client = boto3.client(
        "iam",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_url="http://127.0.0.1:9",
    )
    guard_reads(client)
    with Stubber(client) as stub:
        stub.add_response("list_roles", {"Roles": []})
        assert client.list_roles()["Roles"] == []
        with pytest.raises(WriteRefusedError) as refused:
            client.create_role(RoleName="r", AssumeRolePolicyDocument="{}")
    assert refused.value.message == (
        "a reader called iam:CreateRole, which is not a read; readers may only Describe, List "
        "and Get"
    )
    assert refused.value.hint == (
        "This is a bug in orgstack; please report it with the command you ran."
    )
