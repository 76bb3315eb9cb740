"""LZ202 scp-locks-out-access-role."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

OUS = "organizational_units: {Workloads: {}, Suspended: {}}\n"
DENY_ALL = "[{Effect: Deny, Action: '*', Resource: '*'}]"


def test_narrow_exempting_and_suspended_denies_pass(tmp_path: Path) -> None:
    exempt = (
        "[{Effect: Deny, Action: '*', Resource: '*', Condition: {ArnNotLike: "
        "{'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole'}}}]"
    )
    root_user = "[{Effect: Deny, Action: '*', Resource: '*', Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:root'}}}]"
    text = spec(
        OUS
        + "policies:\n"
        + scp("leave", DENY_LEAVE, "[ou:Workloads]")
        + scp("exempt", exempt, "[ou:Workloads]")
        + scp("root-user", root_user, "[root]")
        + scp("deny-all", DENY_ALL, "[ou:Suspended]")
    )
    assert run("LZ202", text, tmp_path) == []


def test_deny_all_and_deny_naming_the_role_fail(tmp_path: Path) -> None:
    named = (
        "[{Sid: NoAdmin, Effect: Deny, NotAction: 'sts:GetCallerIdentity', Resource: '*', "
        "Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin'}}}]"
    )
    text = spec(
        OUS
        + "policies:\n"
        + scp("deny-all", DENY_ALL, "[ou:Workloads, ou:Suspended]")
        + scp("named", named, "[root]"),
        org="access_role: Admin\n",
    )
    assert run("LZ202", text, tmp_path) == [
        (
            "scp:deny-all",
            "SCP deny-all, statement #1, denies every action to Admin in ou:Workloads",
        ),
        ("scp:named", "SCP named, statement NoAdmin, denies every action to Admin in root"),
    ]
