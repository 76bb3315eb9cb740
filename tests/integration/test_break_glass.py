"""The break-glass role on moto: orgstack makes it in the log archive for the spec's people
(MFA), keeps it so, and revokes a role of that name anywhere else in the organization — in a
spec account that should not have it, or in an account the spec does not know."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids, iam_in
from tests.integration.test_apply import apply_now, plan_now

MANAGEMENT = "123456789012"
SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root}
  web-prod: {purpose: workload, ou: root, stage: prod}
access:
  mode: iam
  users: {sam: {}}
  groups: {sec: {members: [sam]}}
  grants:
    - {group: sec, level: readonly, accounts: all}
break_glass: {trusted: [sam], max_session_hours: 2}
"""
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
NOBODY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RevokedByOrgstack",
            "Effect": "Deny",
            "Principal": {"AWS": ["*"]},
            "Action": ["sts:AssumeRole"],
        }
    ],
}


def glass_changes(plan: Any) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in plan.changes if c.address.startswith("break-glass:")]


def role_in(account_id: str) -> tuple[dict[str, Any], list[str]] | None:
    iam = iam_in(account_id)
    try:
        role = iam.get_role(RoleName="OrgstackBreakGlass")["Role"]
    except iam.exceptions.NoSuchEntityException:
        return None
    attached = iam.list_attached_role_policies(RoleName="OrgstackBreakGlass")["AttachedPolicies"]
    return role, [p["PolicyArn"] for p in attached]


def hand_made(account_id: str) -> None:
    """An account's administrator makes the exempt role for themselves."""
    iam = iam_in(account_id)
    mine = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName="OrgstackBreakGlass", AssumeRolePolicyDocument=json.dumps(mine))
    iam.attach_role_policy(RoleName="OrgstackBreakGlass", PolicyArn=ADMIN)


def test_the_role_is_made_for_the_specs_people_with_mfa(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert glass_changes(plan) == [
        ("break-glass:log-archive/role", Action.CREATE),
        ("break-glass:management/permission/sam", Action.CREATE),
    ]
    assert apply_now(plan, data).ok
    own = iam_in(MANAGEMENT).get_user_policy(UserName="sam", PolicyName="orgstack-break-glass")
    assert own["PolicyDocument"]["Statement"] == [
        {
            "Sid": "BreakGlassWithMFA",
            "Effect": "Allow",
            "Action": ["sts:AssumeRole"],
            "Resource": [f"arn:aws:iam::{account_ids()['log-archive']}:role/OrgstackBreakGlass"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
        }
    ]
    found = role_in(account_ids()["log-archive"])
    assert found is not None
    role, policies = found
    assert policies == [ADMIN]
    assert role["MaxSessionDuration"] == 7200
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Sid": "BreakGlassWithMFA",
            "Effect": "Allow",
            "Principal": {"AWS": [f"arn:aws:iam::{MANAGEMENT}:user/sam"]},
            "Action": ["sts:AssumeRole"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
        }
    ]
    assert role_in(account_ids()["web-prod"]) is None
    assert plan_now()[0].empty


def test_a_role_of_that_name_made_elsewhere_is_revoked_then_deleted_on_request(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    client = boto3.client("organizations", region_name="us-east-1")
    stray = client.create_account(AccountName="stray", Email="stray@acme.example")
    stray_id = stray["CreateAccountStatus"]["AccountId"]
    prod = account_ids()["web-prod"]
    hand_made(prod)
    hand_made(stray_id)
    plan, data = plan_now()
    assert glass_changes(plan) == [
        ("break-glass:stray/role", Action.UPDATE),
        ("break-glass:web-prod/role", Action.UPDATE),
    ]
    assert apply_now(plan, data).ok
    for account in (prod, stray_id):
        found = role_in(account)
        assert found is not None
        assert found[0]["AssumeRolePolicyDocument"] == NOBODY
        assert found[1] == []
    assert plan_now()[0].empty
    plan, data = plan_now(allow_delete=True)
    assert glass_changes(plan) == [
        ("break-glass:stray/role", Action.DELETE),
        ("break-glass:web-prod/role", Action.DELETE),
    ]
    assert apply_now(plan, data).ok
    assert (role_in(prod), role_in(stray_id)) == (None, None)
    assert role_in(account_ids()["log-archive"]) is not None


def test_without_iam_access_the_trusted_names_are_users_it_makes(aws: None, workdir: Path) -> None:
    """With Identity Center (or no access:), nothing else makes the IAM users the role
    trusts, and a trust policy may only name a principal that exists: the kind makes them
    (no password, no key) before the role, and lets them assume it with MFA."""
    spec = (
        "organization: {name: acme, home_region: us-east-1, "
        "email_pattern: 'aws+{account}@acme.example'}\n"
        "accounts:\n  management: {purpose: management, ou: root}\n"
        "  log-archive: {purpose: log-archive, ou: root}\n"
        "break_glass: {trusted: [oncall]}\n"
    )
    (workdir / "orgstack.yaml").write_text(spec)
    plan, data = plan_now()
    assert glass_changes(plan) == [
        ("break-glass:management/user/oncall", Action.CREATE),
        ("break-glass:log-archive/role", Action.CREATE),
        ("break-glass:management/permission/oncall", Action.CREATE),
    ]
    assert apply_now(plan, data).ok
    iam = iam_in(MANAGEMENT)
    user = iam.get_user(UserName="oncall")["User"]
    assert {"Key": "orgstack:purpose", "Value": "break-glass"} in user.get("Tags", [])
    assert iam.list_access_keys(UserName="oncall")["AccessKeyMetadata"] == []
    assert iam.get_user_policy(UserName="oncall", PolicyName="orgstack-break-glass")
    assert plan_now()[0].empty
