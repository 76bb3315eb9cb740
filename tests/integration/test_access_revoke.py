"""Removing a group, a user or a grant from ``access:`` revokes everything it gave in the very
next plan (membership, group policy, trust entries, Identity Center assignments); the objects
themselves are deleted only with --allow-delete, IAM users included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from orgstack import api
from orgstack.kinds.access.vocabulary import REVOKE_SESSIONS, TRUST_NOBODY
from tests.integration.conftest import FAST
from tests.integration.test_access import (
    SMALL,
    account_ids,
    converge,
    iam_in,
    imported_legacy,
    mfa_device,
    roles_in,
)
from tests.integration.test_apply import apply_now, plan_now

#: SMALL without the ops group, its grant and its only member bo.
WITHOUT_OPS = (
    SMALL.replace("ana: {email: ana@acme.example}, bo: {}", "ana: {email: ana@acme.example}")
    .replace("devs: {members: [ana, bo]}, ops: {members: [bo]}", "devs: {members: [ana]}")
    .replace("    - {group: ops, level: poweruser, accounts: {stage: prod}}\n", "")
)


def _changes(**kwargs: Any) -> list[tuple[str, str, Any]]:
    plan = api.make_plan("orgstack.yaml", FAST, **kwargs).plan
    return [(c.address, c.action.value, c.after) for c in plan.changes]


def test_a_removed_group_and_its_user_lose_every_grant_in_the_next_plan(
    aws: None, workdir: Path
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SMALL)
    converge()
    spec.write_text(WITHOUT_OPS)
    mgmt, dev, prod = "123456789012", account_ids()["web-dev"], account_ids()["web-prod"]
    ana = f"arn:aws:iam::{mgmt}:user/ana"
    assert _changes() == [
        ("access:management/group/orgstack-devs", "update", {"members": ["ana"]}),
        ("access:management/group/orgstack-ops", "update",
         {"members": [], "assume": None, "managed": []}),
        ("access:web-dev/role/orgstack-PowerUser", "update",
         {"trust": {"Version": "2012-10-17", "Statement": [{
             "Sid": "SwitchRoleWithMFA", "Effect": "Allow", "Principal": {"AWS": [ana]},
             "Action": ["sts:AssumeRole"],
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}}]}}),
        ("access:web-prod/role/orgstack-PowerUser", "update", {"trust": TRUST_NOBODY, "tags": {}, "managed": [], "inline": REVOKE_SESSIONS}),
        ("access:web-prod/role/orgstack-ReadOnly", "update",
         {"trust": {"Version": "2012-10-17", "Statement": [{
             "Sid": "SwitchRoleWithMFA", "Effect": "Allow", "Principal": {"AWS": [ana]},
             "Action": ["sts:AssumeRole"],
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}}]}}),
    ]  # fmt: skip
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    iam = boto3.client("iam", region_name="us-east-1")
    assert iam.get_group(GroupName="orgstack-ops")["Users"] == []
    assert iam.list_group_policies(GroupName="orgstack-ops")["PolicyNames"] == []
    assert iam.list_groups_for_user(UserName="bo")["Groups"] == []
    prod_roles = roles_in(prod)
    assert prod_roles["orgstack-PowerUser"]["trust"]["Statement"][0]["Effect"] == "Deny"
    assert "bo" not in str(roles_in(dev)) + str(prod_roles)
    # Revoked once: the next plan is empty of changes; the leftovers are reported.
    again = api.make_plan("orgstack.yaml", FAST).plan
    assert again.changes == ()
    assert [(u.address, u.note) for u in again.unmanaged] == [
        (a, "orgstack's, no longer in the spec (plan with --allow-delete to delete it)")
        for a in (
            "access:management/group/orgstack-ops",
            "access:management/user/bo",
            "access:web-prod/role/orgstack-PowerUser",
        )
    ]


def test_deleting_a_removed_group_user_and_role_needs_the_flag_and_clears_the_users_secrets(
    aws: None, workdir: Path
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SMALL)
    converge()
    iam = boto3.client("iam", region_name="us-east-1")
    # bo set up a password, an access key and an MFA device: AWS refuses to delete a user
    # that still has them.
    iam.create_login_profile(UserName="bo", Password="Correct-Horse-9")
    iam.create_access_key(UserName="bo")
    mfa_device(iam, "bo", "bo")
    iam.put_user_policy(
        UserName="bo",
        PolicyName="own",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}',
    )
    spec.write_text(WITHOUT_OPS)
    plan, data = plan_now(allow_delete=True)
    assert [(c.address, c.action.value) for c in plan.changes] == [
        ("access:management/group/orgstack-devs", "update"),
        ("access:web-dev/role/orgstack-PowerUser", "update"),
        ("access:web-prod/role/orgstack-ReadOnly", "update"),
        ("access:management/user/bo", "delete"),
        ("access:management/group/orgstack-ops", "delete"),
        ("access:web-prod/role/orgstack-PowerUser", "delete"),
    ]
    assert apply_now(plan, data).ok
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["ana"]
    assert "orgstack-ops" not in [g["GroupName"] for g in iam.list_groups()["Groups"]]
    assert set(roles_in(account_ids()["web-prod"])) == {"orgstack-ReadOnly"}
    after = api.make_plan("orgstack.yaml", FAST).plan
    assert after.changes == () and after.unmanaged == ()
    assert iam_in(account_ids()["web-dev"]) is not None


def test_in_identity_center_a_removed_group_loses_its_members_and_assignments(
    orgs: Any, workdir: Path
) -> None:
    orgs.create_organization(FeatureSet="ALL")  # Identity Center needs an organization first
    center = SMALL.replace("mode: iam", "mode: identity-center")
    spec = workdir / "orgstack.yaml"
    spec.write_text(center)
    converge()
    spec.write_text(WITHOUT_OPS.replace("mode: iam", "mode: identity-center"))
    changes = [(a, action) for a, action, _ in _changes()]
    assert ("access:identity-center/sso-group/orgstack-ops", "update") in changes
    assert ("access:web-prod/assignment/orgstack-PowerUser/orgstack-ops", "detach") in changes
    ops = next(after for a, _, after in _changes() if a.endswith("sso-group/orgstack-ops"))
    assert ops == {"members": []}
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    again = api.make_plan("orgstack.yaml", FAST).plan
    assert again.changes == ()
    plan, data = plan_now(allow_delete=True)
    assert ("access:identity-center/sso-group/orgstack-ops", "delete") in [
        (c.address, c.action.value) for c in plan.changes
    ]
    assert apply_now(plan, data).ok
    assert api.make_plan("orgstack.yaml", FAST, allow_delete=True).plan.changes == ()


def test_access_ends_where_the_spec_ends_in_accounts_it_no_longer_names(
    aws: None, workdir: Path
) -> None:
    """A hand-made account, imported and granted, then dropped from the spec: its orgstack
    role is revoked in the next plan (trust nobody, no policies, open sessions denied)."""
    legacy = imported_legacy(workdir / "orgstack.yaml")
    assert [(a, action) for a, action, _ in _changes() if "legacy" in a] == [
        ("access:legacy/role/orgstack-PowerUser", "update"),
        ("access:legacy/role/orgstack-ReadOnly", "update"),
    ]
    converge()
    iam = iam_in(legacy)
    role = iam.get_role(RoleName="orgstack-ReadOnly")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert iam.list_attached_role_policies(RoleName="orgstack-ReadOnly")["AttachedPolicies"] == []
    inline = iam.get_role_policy(RoleName="orgstack-ReadOnly", PolicyName="orgstack-inline")
    [statement] = inline["PolicyDocument"]["Statement"]
    assert statement["Sid"] == "RevokeOlderSessions" and statement["Action"] == ["*"]
    issued = statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"]
    assert issued[0].startswith("20") and issued[0].endswith("Z")  # the apply's time


def test_an_account_outside_the_spec_orgstack_cannot_enter_is_a_warning_not_a_failure(
    aws: None, workdir: Path
) -> None:
    """An invited account lacks the organization access role: the plan still runs, and says
    that orgstack roles there are not checked."""
    spec = workdir / "orgstack.yaml"
    spec.write_text(SMALL)
    converge()
    client = boto3.client("organizations", region_name="us-east-1")
    invited = client.create_account(AccountName="invited", Email="invited@acme.example")[
        "CreateAccountStatus"
    ]["AccountId"]
    iam = iam_in(invited)
    role = "OrganizationAccountAccessRole"
    for policy in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=policy["PolicyArn"])
    iam.delete_role(RoleName=role)
    from orgstack.sandbox.shims import enforce

    enforce(True)  # AssumeRole of a role that does not exist is refused, as on AWS
    try:
        plan = api.make_plan("orgstack.yaml", FAST).plan
    finally:
        enforce(False)
    assert plan.changes == ()
    assert [(p.level, p.message) for p in plan.preflight] == [
        (
            "warning",
            f"account invited ({invited}) is not in the spec and orgstack cannot enter it "
            "(AccessDenied): roles orgstack may have left there are not checked",
        )
    ]
