"""The enforcing sandbox (``--enforce-iam``) refuses what AWS refuses, failing closed: crafted
trust policies whose Deny uses an operator it does not know, ``ForAllValues`` on a missing key
or ``NotPrincipal`` (allowed before: 5 of 7 such cases), role sessions judged by their role's
identity policies too, and the calls that undo a guardrail (a key's deletion, a bucket's
replication, the break-glass role's creation) judged by key, bucket and SCP policies."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orgstack.sandbox.shims import enforce

MANAGEMENT = "123456789012"


@pytest.fixture
def org(aws: None) -> Iterator[dict[str, Any]]:
    enforce(True)
    client = boto3.client("organizations", region_name="us-east-1")
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    client.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    member = client.create_account(AccountName="log-archive", Email="logs@example.com")
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="sam")
    key = iam.create_access_key(UserName="sam")["AccessKey"]
    yield {
        "orgs": client,
        "root": root,
        "member": member["CreateAccountStatus"]["AccountId"],
        "sam": boto3.Session(
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
            region_name="us-east-1",
        ),
    }
    enforce(False)


def session(role_arn: str, via: boto3.Session | None = None) -> boto3.Session:
    sts = (via or boto3.Session(region_name="us-east-1")).client("sts")
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="test")["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def admin_of(account: str) -> boto3.Session:
    return session(f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole")


def trusting(principal: str, *more: dict[str, Any]) -> str:
    """A trust policy that lets ``principal`` assume the role, with ``more`` statements."""
    allow = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [allow, *more]})


def role_trusting_sam(iam: Any, name: str, extra: dict[str, Any]) -> str:
    guard = {"Sid": "Guard", "Effect": "Deny", "Action": "sts:AssumeRole", **extra}
    trust = json.loads(trusting(f"arn:aws:iam::{MANAGEMENT}:user/sam", guard))
    return str(
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    )


CRAFTED: dict[str, dict[str, Any]] = {
    "unknown-operator": {
        "Principal": "*",
        "Condition": {"StringEqualsMaybe": {"aws:username": "x"}},
    },
    "for-all-values-missing-key": {
        "Principal": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["approved"]}},
    },
    "not-principal": {"NotPrincipal": {"AWS": "arn:aws:iam::999999999999:root"}},
    "negated-missing-key": {
        "Principal": "*",
        "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "security"}},
    },
    "if-exists-missing-key": {
        "Principal": "*",
        "Condition": {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}},
    },
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_deny_in_a_trust_policy_refuses_as_aws_would(case: str, org: dict[str, Any]) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    sam_may = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="sam", PolicyName="assume", PolicyDocument=json.dumps(sam_may))
    arn = role_trusting_sam(iam, f"crafted-{case}", CRAFTED[case])
    with pytest.raises(ClientError) as refused:
        org["sam"].client("sts").assume_role(RoleArn=arn, RoleSessionName="test")
    assert f"the trust policy of {arn} does not allow arn:aws:iam::{MANAGEMENT}:user/sam" in str(
        refused.value
    )


def test_a_role_session_is_judged_by_its_roles_identity_policies(org: dict[str, Any]) -> None:
    """A session of a role without sts:AssumeRole in its policies cannot assume a role of
    another account, even one whose trust names it; with the permission it can."""
    member = org["member"]
    iam = boto3.client("iam", region_name="us-east-1")
    hop = iam.create_role(
        RoleName="hop", AssumeRolePolicyDocument=trusting(f"arn:aws:iam::{MANAGEMENT}:root")
    )["Role"]["Arn"]
    reader = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName="hop", PolicyName="read", PolicyDocument=json.dumps(reader))
    target = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
    hopped = session(hop)
    with pytest.raises(ClientError) as refused:
        session(target, hopped)
    assert f"no identity policy of arn:aws:sts::{MANAGEMENT}:assumed-role/hop/test allows" in str(
        refused.value
    )
    may = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": target}],
    }
    iam.put_role_policy(RoleName="hop", PolicyName="assume", PolicyDocument=json.dumps(may))
    assert session(target, session(hop)).client("sts").get_caller_identity()["Account"] == member


def test_a_member_accounts_admin_is_refused_what_key_bucket_and_scp_deny(
    org: dict[str, Any],
) -> None:
    member = org["member"]
    guard = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OnlyOrgstackMakesTheBreakGlassRole",
                "Effect": "Deny",
                "Action": ["iam:CreateRole", "iam:UpdateAssumeRolePolicy"],
                "Resource": "arn:aws:iam::*:role/OrgstackBreakGlass",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"
                    }
                },
            }
        ],
    }
    policy = org["orgs"].create_policy(
        Name="guard", Description="", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(guard)
    )["Policy"]["PolicySummary"]["Id"]
    org["orgs"].attach_policy(PolicyId=policy, TargetId=org["root"])
    orgstack = admin_of(member)
    admin_trust = trusting(f"arn:aws:iam::{MANAGEMENT}:root")
    orgstack.client("iam").create_role(RoleName="Admin", AssumeRolePolicyDocument=admin_trust)
    orgstack.client("iam").attach_role_policy(
        RoleName="Admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    kms = orgstack.client("kms")
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Account",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{member}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "OnlyBreakGlassDeletesTheKey",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
                "Resource": "*",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": f"arn:aws:iam::{member}:role/OrgstackBreakGlass"
                    }
                },
            },
        ],
    }
    key = kms.create_key(Policy=json.dumps(key_policy))["KeyMetadata"]["KeyId"]
    s3 = orgstack.client("s3")
    s3.create_bucket(Bucket="logs-bucket")
    bucket_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "NobodyReplicatesTheLogs",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutReplicationConfiguration",
                "Resource": "arn:aws:s3:::logs-bucket",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": f"arn:aws:iam::{member}:role/OrgstackBreakGlass"
                    }
                },
            }
        ],
    }
    s3.put_bucket_policy(Bucket="logs-bucket", Policy=json.dumps(bucket_policy))
    s3.put_bucket_versioning(Bucket="logs-bucket", VersioningConfiguration={"Status": "Enabled"})
    attacker = session(f"arn:aws:iam::{member}:role/Admin")
    tries: dict[str, Callable[[], Any]] = {
        "ScheduleKeyDeletion": lambda: attacker.client("kms").schedule_key_deletion(KeyId=key),
        "DisableKey": lambda: attacker.client("kms").disable_key(KeyId=key),
        "PutBucketReplication": lambda: attacker.client("s3").put_bucket_replication(
            Bucket="logs-bucket",
            ReplicationConfiguration={
                "Role": f"arn:aws:iam::{member}:role/Admin",
                "Rules": [
                    {
                        "Status": "Enabled",
                        "Prefix": "",
                        "Destination": {"Bucket": "arn:aws:s3:::elsewhere"},
                    }
                ],
            },
        ),
        "CreateRole": lambda: attacker.client("iam").create_role(
            RoleName="OrgstackBreakGlass", AssumeRolePolicyDocument=admin_trust
        ),
    }
    refused = {}
    for name, attempt in tries.items():
        with pytest.raises(ClientError) as error:
            attempt()
        refused[name] = error.value.response["Error"]["Code"]
    assert refused == {
        "ScheduleKeyDeletion": "AccessDeniedException",
        "DisableKey": "AccessDeniedException",
        "PutBucketReplication": "AccessDenied",
        "CreateRole": "AccessDenied",
    }
    # orgstack's access role is exempt from the SCP; the admin's other work goes on.
    orgstack.client("iam").create_role(
        RoleName="OrgstackBreakGlass", AssumeRolePolicyDocument=admin_trust
    )
    attacker.client("iam").create_role(RoleName="app", AssumeRolePolicyDocument=admin_trust)


def test_plain_moto_refuses_none_of_them() -> None:
    """Why the shims exist: plain moto lets the member's admin delete the key it denies."""
    script = """
import json, boto3
from moto import mock_aws
with mock_aws():
    kms = boto3.client("kms", region_name="us-east-1")
    deny = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}
    key = kms.create_key(Policy=json.dumps(deny))["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key)
    print(kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"])
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["PendingDeletion"]
