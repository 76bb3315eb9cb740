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
            "SCP deny-all, statement #1, denies every action to Admin in ou:Workloads" + HOW,
        ),
        ("scp:named", "SCP named, statement NoAdmin, denies every action to Admin in root" + HOW),
    ]


HOW = " (as AWS evaluates it for the role's session; a condition not provably false counts)"
#: Conditional denies that still deny the access role everything (the role assumes without
#: MFA, carries no tags and is no other principal).
LOCKING = {
    "exempts-another-role": "{ArnNotLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin'}}",
    "exempts-the-role-in-one-account": (
        "{ArnNotLike: {'aws:PrincipalArn': "
        "'arn:aws:iam::111122223333:role/OrganizationAccountAccessRole'}}"
    ),
    "without-mfa": "{BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}",
    "without-a-principal-tag": "{StringNotEquals: {'aws:PrincipalTag/team': 'platform'}}",
    "from-outside-an-ip-range": "{NotIpAddress: {'aws:SourceIp': '192.0.2.0/24'}}",
}
#: Conditional denies that spare it.
SPARING = {
    "only-root-users": "{StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:root'}}",
    "only-other-regions": "{StringNotEquals: {'aws:RequestedRegion': ['eu-west-1']}}",
    "only-tagged-principals": "{StringEquals: {'aws:PrincipalTag/team': 'contractors'}}",
    "only-with-mfa": "{Bool: {'aws:MultiFactorAuthPresent': 'true'}}",
}


def test_conditional_denies_are_judged_as_aws_evaluates_them(tmp_path: Path) -> None:
    body = "".join(
        scp(name, f"[{{Effect: Deny, Action: '*', Resource: '*', Condition: {cond}}}]", "[root]")
        for name, cond in {**LOCKING, **SPARING}.items()
    )
    services = (
        "[{Effect: Deny, Action: ['iam:*', 'kms:*', 's3:*', 'config:*', 'backup:*', "
        "'guardduty:*', 'securityhub:*', 'account:*'], Resource: '*'}]"
    )
    almost = "[{Effect: Deny, Action: ['iam:*', 'kms:*', 's3:*'], Resource: '*'}]"
    text = spec(
        "policies:\n" + body + scp("services", services, "[root]") + scp("some", almost, "[root]")
    )
    assert run("LZ202", text, tmp_path) == [
        (
            f"scp:{name}",
            f"SCP {name}, statement #1, denies every action to OrganizationAccountAccessRole "
            f"in root{HOW}",
        )
        for name in (*LOCKING, "services")
    ]
