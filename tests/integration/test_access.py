"""Cross-account access on moto: blueprints put every role, group, user and policy (or
permission set and assignment) in place; access profiles point at real roles; drift in a trust
policy is reported and reverted; crashes resume; stale plans are refused; removal needs a flag."""

from __future__ import annotations

import uuid
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.configloader import raw_config_parse

from orgstack import api
from orgstack.apply.context import ApplyError
from orgstack.kinds.access.vocabulary import REVOKE_SESSIONS, TRUST_NOBODY
from orgstack.spec.blueprints import preset
from orgstack.spec.layouts import BLUEPRINTS, Layout
from tests.integration.conftest import FAST
from tests.integration.test_apply import QUICK, Crash, apply_now, crash_at, plan_now, reset_moto

MANAGEMENT = "123456789012"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}

#: Applies here create several roles in one account at once (see serial_moto).
pytestmark = pytest.mark.usefixtures("serial_moto")


def iam_in(account_id: str) -> Any:
    """An IAM client in ``account_id`` (the management account's own, or through the role)."""
    if account_id == MANAGEMENT:
        return boto3.client("iam", region_name="us-east-1")
    creds = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="test",
    )["Credentials"]
    return boto3.client(
        "iam",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def mfa_device(iam: Any, user: str, name: str) -> str:
    """A virtual MFA device, enabled for ``user``; its serial (ARN)."""
    serial = str(
        iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
    )
    iam.enable_mfa_device(
        UserName=user, SerialNumber=serial, AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )  # fmt: skip
    return serial


def account_ids() -> dict[str, str]:
    client = boto3.client("organizations", region_name="us-east-1")
    return {
        a["Name"]: a["Id"]
        for page in client.get_paginator("list_accounts").paginate()
        for a in page["Accounts"]
    }


def trust(*users: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SwitchRoleWithMFA",
                "Effect": "Allow",
                "Principal": {"AWS": [f"arn:aws:iam::{MANAGEMENT}:user/{u}" for u in users]},
                "Action": ["sts:AssumeRole"],
                "Condition": MFA,
            }
        ],
    }


def roles_in(account_id: str) -> dict[str, dict[str, Any]]:
    iam = iam_in(account_id)
    found = {}
    for role in iam.list_roles()["Roles"]:
        name = role["RoleName"]
        if not name.startswith("orgstack-"):
            continue
        attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        found[name] = {
            "trust": role["AssumeRolePolicyDocument"],
            "session": role["MaxSessionDuration"],
            "managed": [p["PolicyArn"] for p in attached],
        }
    return found


def write(layout: Layout, directory: Path, identity: str = "iam") -> None:
    from dataclasses import replace

    api.write_spec(
        replace(preset(layout), identity=identity), directory / "orgstack.yaml", schema_ref="s.json"
    )


def converge() -> None:
    plan, data = plan_now()
    result = apply_now(plan, data)
    assert result.ok, {i: e.message for i, e in result.outcome.failed.items()}
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()


def test_the_minimal_blueprint_puts_exactly_these_roles_groups_and_users_in_place(
    aws: None, workdir: Path
) -> None:
    write("minimal", workdir)
    converge()
    ids = account_ids()
    aws_policy = "arn:aws:iam::aws:policy/"
    audit = {
        "trust": trust("sam.sec"),
        "session": 3600,
        "managed": [aws_policy + "SecurityAudit"],
    }
    expected = {
        "management": {
            "orgstack-SecurityAudit": audit,
            "orgstack-Billing": {
                "trust": trust("fay.fin"),
                "session": 3600,
                "managed": [aws_policy + "job-function/Billing"],
            },
        },
        "app-dev": {
            "orgstack-SecurityAudit": audit,
            "orgstack-PowerUser": {
                "trust": trust("dana.dev"),
                "session": 14400,
                "managed": [aws_policy + "PowerUserAccess"],
            },
        },
        "app-qa": {
            "orgstack-SecurityAudit": audit,
            "orgstack-ReadOnly": {
                "trust": trust("dana.dev"),
                "session": 3600,
                "managed": [aws_policy + "ReadOnlyAccess"],
            },
        },
        "app-prod": {
            "orgstack-SecurityAudit": audit,
            "orgstack-ReadOnly": {
                "trust": trust("dana.dev"),
                "session": 3600,
                "managed": [aws_policy + "ReadOnlyAccess"],
            },
            "orgstack-PowerUser": {
                "trust": trust("oscar.ops"),
                "session": 3600,
                "managed": [aws_policy + "PowerUserAccess"],
            },
        },
        "sandbox": {
            "orgstack-SecurityAudit": audit,
            "orgstack-PowerUser": {
                "trust": trust("dana.dev"),
                "session": 14400,
                "managed": [aws_policy + "PowerUserAccess"],
            },
        },
        "security": {
            "orgstack-SecurityAudit": audit,
            "orgstack-Admin": {
                "trust": trust("sam.sec"),
                "session": 3600,
                "managed": [aws_policy + "AdministratorAccess"],
            },
        },
        "log-archive": {
            "orgstack-SecurityAudit": audit,
            "orgstack-Admin": {
                "trust": trust("sam.sec"),
                "session": 3600,
                "managed": [aws_policy + "AdministratorAccess"],
            },
        },
        "shared-services": {"orgstack-SecurityAudit": audit},
        "backup": {"orgstack-SecurityAudit": audit},
    }
    names = {"master": "management"}
    actual = {names.get(n, n): roles_in(i) for n, i in ids.items()}
    assert actual == expected

    iam = iam_in(MANAGEMENT)
    mfa_arn = f"arn:aws:iam::{MANAGEMENT}:policy/orgstack-RequireMFA"

    organization = boto3.client("organizations").describe_organization()["Organization"]["Id"]

    def switch(group: str, *roles: str) -> dict[str, Any]:
        """Only orgstack's roles of these names, in this organization, tagged for the group:
        the size does not grow with the number of accounts."""
        return {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "SwitchRole",
                    "Effect": "Allow",
                    "Action": ["sts:AssumeRole"],
                    "Resource": sorted(f"arn:aws:iam::*:role/{r}" for r in roles),
                    "Condition": {
                        "StringEquals": {
                            "aws:ResourceOrgID": [organization],
                            f"aws:ResourceTag/orgstack:grant/{group}": ["true"],
                        }
                    },
                }
            ],
        }

    members = {"developers": ["dana.dev"], "devops": ["oscar.ops"], "security": ["sam.sec"]}
    members["finance"] = ["fay.fin"]
    expected_groups = {
        "developers": switch("developers", "orgstack-PowerUser", "orgstack-ReadOnly"),
        "devops": switch("devops", "orgstack-PowerUser"),
        "security": switch("security", "orgstack-SecurityAudit", "orgstack-Admin"),
        "finance": switch("finance", "orgstack-Billing"),
    }
    # Which accounts' roles a group may assume is said by the roles' tags.
    tagged = {
        (name, role): sorted(
            t["Key"]
            for t in iam_in(MANAGEMENT if name == "master" else i).list_role_tags(RoleName=role)[
                "Tags"
            ]
            if t["Key"].startswith("orgstack:grant/")
        )
        for name, i in ids.items()
        for role in roles_in(MANAGEMENT if name == "master" else i)
    }
    assert tagged[("app-dev", "orgstack-PowerUser")] == ["orgstack:grant/developers"]
    assert tagged[("app-prod", "orgstack-PowerUser")] == ["orgstack:grant/devops"]
    assert tagged[("app-prod", "orgstack-ReadOnly")] == ["orgstack:grant/developers"]
    assert tagged[("security", "orgstack-Admin")] == ["orgstack:grant/security"]
    assert ("app-prod", "orgstack-Admin") not in tagged
    for group, document in expected_groups.items():
        name = f"orgstack-{group}"
        answer = iam.get_group(GroupName=name)
        assert [u["UserName"] for u in answer["Users"]] == members[group]
        policy = iam.get_group_policy(GroupName=name, PolicyName="orgstack-switch-role")
        assert policy["PolicyDocument"] == document, group
        attached = iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"]
        assert [p["PolicyArn"] for p in attached] == [mfa_arn]
    require = iam.get_policy_version(PolicyArn=mfa_arn, VersionId="v1")["PolicyVersion"]
    deny = require["Document"]["Statement"][-1]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {
        "BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}
    }
    assert "sts:GetSessionToken" in deny["NotAction"] and "iam:EnableMFADevice" in deny["NotAction"]
    user = iam.get_user(UserName="dana.dev")["User"]
    assert {t["Key"]: t["Value"] for t in user["Tags"]} == {
        "orgstack:managed": "true",
        "email": "dana.dev@example.com",
        "name": "Dana Developer",
    }
    assert iam.list_access_keys(UserName="dana.dev")["AccessKeyMetadata"] == []


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_each_blueprint_in_iam_mode_converges_with_a_role_per_grant(
    layout: Layout, aws: None, workdir: Path
) -> None:
    write(layout, workdir)
    converge()
    access = api.load_spec("orgstack.yaml").access
    assert access is not None
    ids = account_ids()
    ids["management"] = ids.pop("master", MANAGEMENT)
    wanted: dict[str, set[str]] = {}
    for account, level, _ in access.entries():
        wanted.setdefault(account, set()).add(access.level(level).role_name)
    for account, roles in wanted.items():
        found = roles_in(ids[account])
        assert set(found) == roles, account
        assert all(r["trust"]["Statement"][0]["Condition"] == MFA for r in found.values())


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_each_blueprint_in_identity_center_mode_converges_with_every_assignment(
    layout: Layout, orgs: Any, workdir: Path
) -> None:
    orgs.create_organization(FeatureSet="ALL")  # Identity Center needs an organization first
    write(layout, workdir, identity="identity-center")
    converge()
    sso = boto3.client("sso-admin", region_name="us-east-1")
    store = boto3.client("identitystore", region_name="us-east-1")
    instance = sso.list_instances()["Instances"][0]
    arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    sets = {}
    for set_arn in sso.list_permission_sets(InstanceArn=arn)["PermissionSets"]:
        name = sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=set_arn)[
            "PermissionSet"
        ]["Name"]
        managed = sso.list_managed_policies_in_permission_set(
            InstanceArn=arn, PermissionSetArn=set_arn
        )["AttachedManagedPolicies"]
        sets[set_arn] = (name, [p["Arn"] for p in managed])
    network = ["orgstack-NetworkAdmin"] if layout != "minimal" else []
    assert sorted(n for n, _ in sets.values()) == [
        "orgstack-Admin",
        "orgstack-Billing",
        *network,
        "orgstack-PowerUser",
        "orgstack-ReadOnly",
        "orgstack-SecurityAudit",
    ]
    assert dict(sets.values())["orgstack-PowerUser"] == ["arn:aws:iam::aws:policy/PowerUserAccess"]
    groups = {
        g["DisplayName"]: g["GroupId"]
        for g in store.list_groups(IdentityStoreId=store_id)["Groups"]
    }
    users = {
        u["UserId"]: u["UserName"] for u in store.list_users(IdentityStoreId=store_id)["Users"]
    }
    members = store.list_group_memberships(
        IdentityStoreId=store_id, GroupId=groups["orgstack-developers"]
    )["GroupMemberships"]
    assert [users[m["MemberId"]["UserId"]] for m in members] == ["dana.dev"]
    ids = account_ids()
    ids["management"] = ids.pop("master", MANAGEMENT)
    access = api.load_spec("orgstack.yaml").access
    assert access is not None
    expected = sorted(
        {
            (ids[account], access.level(level).role_name, f"orgstack-{grant.group}")
            for account, level, grant in access.entries()
        }
    )
    actual = sorted(
        (a["AccountId"], sets[a["PermissionSetArn"]][0], name)
        for name, group_id in groups.items()
        for a in sso.list_account_assignments_for_principal(
            InstanceArn=arn, PrincipalId=group_id, PrincipalType="GROUP"
        )["AccountAssignments"]
    )
    assert actual == expected
    view = api.access_view("orgstack.yaml", FAST, "dana.dev")
    (workdir / "config").write_text(view.config)
    parsed = raw_config_parse(str(workdir / "config"))
    assert parsed["sso-session example"] == {
        "sso_start_url": f"https://{store_id}.awsapps.com/start",
        "sso_region": "us-east-1",
        "sso_registration_scopes": "sso:account:access",
    }
    first = sorted(k for k in parsed if k.endswith("-poweruser"))[0]
    account = first.removeprefix("profile ").removesuffix("-poweruser")
    assert parsed[first] == {
        "sso_session": "example",
        "sso_account_id": ids[account],
        "sso_role_name": "orgstack-PowerUser",
        "region": "us-east-1",
    }


def test_access_profiles_parse_and_point_at_roles_the_users_group_may_assume(
    aws: None, workdir: Path
) -> None:
    write("standard", workdir)
    converge()
    view = api.access_view("orgstack.yaml", FAST, "dana.dev")
    (workdir / "config").write_text(view.config)
    parsed = raw_config_parse(str(workdir / "config"))
    profiles = {k.removeprefix("profile "): v for k, v in parsed.items()}
    assert sorted(profiles) == [
        "app-dev-poweruser",
        "app-prod-readonly",
        "app-qa-readonly",
        "sandbox-poweruser",
    ]
    iam = iam_in(MANAGEMENT)
    allowed = iam.get_group_policy(
        GroupName="orgstack-developers", PolicyName="orgstack-switch-role"
    )["PolicyDocument"]["Statement"][0]["Resource"]
    for name, profile in profiles.items():
        assert profile["source_profile"] == "example-dana.dev"
        assert profile["mfa_serial"] == f"arn:aws:iam::{MANAGEMENT}:mfa/dana.dev"
        account_id, role = profile["role_arn"].split(":")[4], profile["role_arn"].rsplit("/", 1)[1]
        answer = iam_in(account_id).get_role(RoleName=role)["Role"]
        principals = answer["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
        assert f"arn:aws:iam::{MANAGEMENT}:user/dana.dev" in principals, name
        assert any(fnmatchcase(profile["role_arn"], arn) for arn in allowed), name
        assert int(profile["duration_seconds"]) <= answer["MaxSessionDuration"]
    assert dict(view.links)["app-dev-poweruser"] == (
        "https://signin.aws.amazon.com/switchrole?roleName=orgstack-PowerUser"
        f"&account={profiles['app-dev-poweruser']['role_arn'].split(':')[4]}"
        "&displayName=app-dev%20poweruser"
    )
    assert "dana.dev has no MFA device yet" in view.config
    # Once the user has a device, its real serial is used, whatever it is called.
    serial = mfa_device(iam, "dana.dev", "dana-phone")
    view = api.access_view("orgstack.yaml", FAST, "dana.dev")
    assert "no MFA device" not in view.config
    assert view.config.count(f"mfa_serial = {serial}") == len(profiles)
    assert serial.endswith(":mfa/dana-phone")


SMALL = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, stage: dev, ou: root}
  web-prod: {purpose: workload, stage: prod, ou: root}
access:
  mode: iam
  users: {ana: {email: ana@acme.example}, bo: {}}
  groups: {devs: {members: [ana, bo]}, ops: {members: [bo]}}
  grants:
    - {group: devs, level: poweruser, accounts: {stage: dev}, session_hours: 4}
    - {group: devs, level: readonly, accounts: {stage: prod}}
    - {group: ops, level: poweruser, accounts: {stage: prod}}
"""


def imported_legacy(spec: Path) -> str:
    """SMALL applied, then an account made by hand, imported (with its id) and granted
    readonly and poweruser by the prod grants, then dropped from the spec again: its id."""
    spec.write_text(SMALL)
    converge()
    client = boto3.client("organizations", region_name="us-east-1")
    made = client.create_account(AccountName="legacy", Email="legacy@acme.example")
    legacy = str(made["CreateAccountStatus"]["AccountId"])
    spec.write_text(
        SMALL.replace(
            "  web-prod: {purpose: workload, stage: prod, ou: root}\n",
            "  web-prod: {purpose: workload, stage: prod, ou: root}\n"
            f"  legacy: {{purpose: workload, stage: prod, ou: root, id: '{legacy}'}}\n",
        )
    )
    converge()
    assert "orgstack-ReadOnly" in roles_in(legacy)
    spec.write_text(SMALL)
    return legacy


def tamper_trust(account: str, role: str) -> None:
    outsider = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    import json

    iam_in(account_ids()[account]).update_assume_role_policy(
        RoleName=role, PolicyDocument=json.dumps(outsider)
    )


def test_a_trust_policy_edited_out_of_band_is_drift_and_the_next_apply_reverts_it(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    converge()
    prod = account_ids()["web-prod"]
    before = roles_in(prod)["orgstack-ReadOnly"]["trust"]
    assert before == trust("ana", "bo")
    tamper_trust("web-prod", "orgstack-ReadOnly")
    items = api.drift("orgstack.yaml", FAST).items
    assert [(i.address, i.what) for i in items] == [
        ("access:web-prod/role/orgstack-ReadOnly", "trust")
    ]
    plan, data = plan_now()
    assert [(c.address, c.action.value) for c in plan.changes] == [
        ("access:web-prod/role/orgstack-ReadOnly", "update")
    ]
    assert plan.changes[0].after == {"trust": before}
    assert apply_now(plan, data).ok
    assert roles_in(prod)["orgstack-ReadOnly"]["trust"] == before
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()


def test_a_stale_access_plan_is_refused_naming_the_role(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    converge()
    (workdir / "orgstack.yaml").write_text(SMALL.replace("members: [bo]", "members: [ana, bo]"))
    plan, data = plan_now()
    assert ("access:web-prod/role/orgstack-PowerUser", "update") in [
        (c.address, c.action.value) for c in plan.changes
    ]
    tamper_trust("web-prod", "orgstack-PowerUser")
    with pytest.raises(ApplyError) as refused:
        apply_now(plan, data)
    assert "access:web-prod/role/orgstack-PowerUser: trust was" in refused.value.message


@pytest.mark.parametrize("phase", ["start", "called"])
def test_a_crash_at_every_access_change_resumes_and_converges(
    phase: str, aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    plan, data = plan_now()
    first = next(i for i, c in enumerate(plan.changes) if c.address.startswith("access:"))
    for index in range(first, len(plan.changes)):
        reset_moto()
        fresh = dict(data, plan_id=uuid.uuid4().hex)
        with pytest.raises(Crash):
            apply_now(plan, fresh, checkpoint=crash_at(index, phase))
        result = apply_now(plan, fresh, resume=True)
        assert result.ok, (index, {i: e.message for i, e in result.outcome.failed.items()})
        left = api.make_plan("orgstack.yaml", FAST).plan.changes
        assert [(c.address, c.before, c.after) for c in left] == [], index


def test_a_removed_grant_revokes_access_and_deleting_the_role_needs_the_flag(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    converge()
    (workdir / "orgstack.yaml").write_text(
        SMALL.replace("    - {group: ops, level: poweruser, accounts: {stage: prod}}\n", "")
    )
    result = api.make_plan("orgstack.yaml", FAST)
    assert [(c.address, c.action.value) for c in result.plan.changes] == [
        ("access:management/group/orgstack-ops", "update"),
        ("access:web-prod/role/orgstack-PowerUser", "update"),
    ]
    assert result.plan.changes[0].after == {"assume": None}
    assert result.plan.changes[1].after == {
        "trust": TRUST_NOBODY,
        "tags": {},
        "managed": [],
        "inline": REVOKE_SESSIONS,
    }
    assert (
        result.plan.changes[1].reason
        == "no longer granted by the matrix: what it grants is revoked"
    )
    assert [(u.address, u.note) for u in result.plan.unmanaged] == [
        (
            "access:web-prod/role/orgstack-PowerUser",
            "orgstack's, no longer in the spec (plan with --allow-delete to delete it)",
        )
    ]
    plan, data = plan_now(allow_delete=True)
    assert [(c.address, c.action.value) for c in plan.changes] == [
        ("access:management/group/orgstack-ops", "update"),
        ("access:web-prod/role/orgstack-PowerUser", "delete"),
    ]
    assert apply_now(plan, data).ok
    assert set(roles_in(account_ids()["web-prod"])) == {"orgstack-ReadOnly"}
    after = api.make_plan("orgstack.yaml", FAST).plan
    assert after.changes == () and after.unmanaged == ()


def test_permissions_cover_every_call_access_plans_and_applies_make(
    orgs: Any, workdir: Path
) -> None:
    from orgstack.apply.permissions import iam_policy
    from orgstack.aws.context import AwsContext
    from orgstack.plan.planfile import plan_to_dict

    context = AwsContext(FAST)
    prefix = {"sso-admin": "sso"}

    def round_trip(text: str, **kwargs: Any) -> None:
        (workdir / "orgstack.yaml").write_text(text)
        plan = api.make_plan("orgstack.yaml", FAST, context=context, **kwargs).plan
        data = plan_to_dict(plan, "orgstack.yaml")
        assert api.apply_plan(plan, data, FAST, QUICK, context=context).ok

    edited = SMALL.replace("members: [bo]}", "members: [ana]}").replace("session_hours: 4", "")
    round_trip(SMALL)
    tamper_trust("web-prod", "orgstack-ReadOnly")
    round_trip(
        edited.replace("    - {group: ops, level: poweruser, accounts: {stage: prod}}\n", ""),
        allow_delete=True,
    )
    center = SMALL.replace("mode: iam", "mode: identity-center")
    round_trip(center)
    round_trip(
        center.replace("{ana: {email: ana@acme.example}", "{ana: {email: a@acme.example}")
        .replace("members: [bo]}", "members: [ana]}")
        .replace("    - {group: ops, level: poweruser, accounts: {stage: prod}}\n", "")
        .replace("session_hours: 4", "session_hours: 2")
    )
    api.audit("orgstack.yaml", FAST, context=context)
    allowed = {a for s in iam_policy()["Statement"] for a in s["Action"]}
    called = set()
    for op in context.stats.calls:
        family, action = op.split(".")
        called.add(f"{prefix.get(family, family)}:{action}")
    assert called - allowed == set()
    assert {
        "iam:CreateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "sso:CreateAccountAssignment",
        "sso:DeleteAccountAssignment",
        "sso:ProvisionPermissionSet",
        "identitystore:UpdateUser",
        "identitystore:DeleteGroupMembership",
    } <= called
