"""Make the security account each service's administrator and keep its detector or hub
enrolling every account, per Region."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.aws.errors import AwsError
from orgstack.kinds.security_services.vocabulary import standard_arn
from orgstack.model.kind import account_of, in_account
from orgstack.plan.model import Action, Change

#: What each service answers when the administrator is designated already.
ALREADY = {"guardduty": "BadRequestException", "securityhub": "ResourceConflictException"}


def _release_members(ctx: ExecContext, old_admin: str, region: str) -> None:
    """GuardDuty's documented way to change its administrator, in one Region, as the old
    administrator: auto-enable off (AWS refuses to disassociate members while it is ALL), then
    every member disassociated and deleted, 50 at a time.

    IAM actions: guardduty:ListDetectors, guardduty:DescribeOrganizationConfiguration,
    guardduty:UpdateOrganizationConfiguration, guardduty:ListMembers,
    guardduty:DisassociateMembers, guardduty:DeleteMembers
    """
    client = ctx.accounts().client(old_admin, "guardduty", region)
    detectors = ctx.aws.call(client, "list_detectors").get("DetectorIds", [])
    if not detectors:
        return
    detector = detectors[0]
    config = ctx.aws.call(client, "describe_organization_configuration", DetectorId=detector)
    if config.get("AutoEnableOrganizationMembers", "NONE") != "NONE":
        ctx.aws.call(
            client,
            "update_organization_configuration",
            DetectorId=detector,
            AutoEnableOrganizationMembers="NONE",
        )
    members = [
        m["AccountId"]
        for m in ctx.aws.pages(
            client, "list_members", "Members", DetectorId=detector, OnlyAssociated="false"
        )
    ]
    for start in range(0, len(members), 50):
        batch = members[start : start + 50]
        ctx.aws.call(client, "disassociate_members", DetectorId=detector, AccountIds=batch)
        ctx.aws.call(client, "delete_members", DetectorId=detector, AccountIds=batch)


def _administrators(ctx: ExecContext, client: Any, service: str) -> list[str]:
    found = ctx.aws.call(client, "list_organization_admin_accounts").get("AdminAccounts", [])
    key = "AdminAccountId" if service == "guardduty" else "AccountId"
    return [a[key] for a in found]


def admin(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Designate the administrator in the Region, from the management account. Another
    account's administration is handed over first, as each service documents it (GuardDuty:
    the old administrator releases its members, then the management account removes it;
    Security Hub: the management account removes it) — before the Organizations registration
    of the service moves (the delegated-admin change waits for this one).

    IAM actions: guardduty:EnableOrganizationAdminAccount,
    guardduty:DisableOrganizationAdminAccount, guardduty:ListOrganizationAdminAccounts,
    securityhub:EnableOrganizationAdminAccount, securityhub:DisableOrganizationAdminAccount,
    securityhub:ListOrganizationAdminAccounts, organizations:EnableAWSServiceAccess,
    organizations:RegisterDelegatedAdministrator, organizations:DescribeOrganization
    """
    after = ctx.resolved(change.after or {})
    service = in_account(change.address).split("/")[1].split("-", 1)[0]
    client = ctx.aws.client(service, after["region"])
    previous = (change.before or {}).get("admin")
    if previous and previous != after["admin"]:  # one administrator per service: the old first
        if previous in _administrators(ctx, client, service):
            if service == "guardduty":
                _release_members(ctx, previous, after["region"])
                ctx.checkpoint(index, "released")
            ctx.aws.call(client, "disable_organization_admin_account", AdminAccountId=previous)
        ctx.checkpoint(index, "disabled")
    try:
        ctx.aws.call(client, "enable_organization_admin_account", AdminAccountId=after["admin"])
    except AwsError as exc:
        if exc.code != ALREADY[service]:
            raise
    ctx.checkpoint(index, "called")
    return {}


def detector(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The security account's GuardDuty detector in the Region: created or enabled, then
    every account of the organization enrolled, new ones included.

    IAM actions: guardduty:ListDetectors, guardduty:CreateDetector, guardduty:UpdateDetector,
    guardduty:UpdateOrganizationConfiguration, iam:CreateServiceLinkedRole
    """
    after = change.after or {}
    client = ctx.member_client(account_of(change.address), "guardduty", after["region"])
    detectors = ctx.aws.call(client, "list_detectors").get("DetectorIds", [])
    if detectors:
        detector_id = detectors[0]
        ctx.aws.call(client, "update_detector", DetectorId=detector_id, Enable=True)
    else:
        detector_id = ctx.aws.call(client, "create_detector", Enable=True)["DetectorId"]
    ctx.checkpoint(index, "created")
    ctx.aws.call(
        client,
        "update_organization_configuration",
        DetectorId=detector_id,
        AutoEnableOrganizationMembers=after["auto_enable"],
    )
    ctx.checkpoint(index, "called")
    return {}


def _enable_hub(ctx: ExecContext, client: Any) -> None:
    """Security Hub on in the client's account and Region, without AWS's default standards."""
    try:
        ctx.aws.call(client, "enable_security_hub", EnableDefaultStandards=False)
    except AwsError as exc:
        if exc.code != "ResourceConflictException":  # enabled already
            raise


def _enable_standards(ctx: ExecContext, client: Any, region: str, standards: list[str]) -> None:
    requests = [{"StandardsArn": standard_arn(region, s)} for s in standards]
    if requests:
        ctx.aws.call(client, "batch_enable_standards", StandardsSubscriptionRequests=requests)


def hub(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The security account's Security Hub in the Region: enabled (without AWS's default
    standards), new accounts enrolled automatically with no default standards (they get the
    spec's as members), the planned standards enabled.

    IAM actions: securityhub:EnableSecurityHub, securityhub:UpdateOrganizationConfiguration,
    securityhub:BatchEnableStandards, iam:CreateServiceLinkedRole
    """
    after = change.after or {}
    region = after["region"]
    client = ctx.member_client(account_of(change.address), "securityhub", region)
    _enable_hub(ctx, client)
    ctx.checkpoint(index, "created")
    ctx.aws.call(
        client,
        "update_organization_configuration",
        AutoEnable=after["auto_enable"],
        AutoEnableStandards=after.get("auto_enable_standards", "NONE"),
    )
    _enable_standards(ctx, client, region, after["standards"])
    ctx.checkpoint(index, "called")
    return {}


#: What CreateMembers leaves unprocessed when the account is a member already.
ALREADY_MEMBER = "already"
#: What a member's Security Hub answers for a moment after the administrator enabled it.
MEMBER_PROPAGATING = frozenset({"InvalidAccessException", "ResourceNotFoundException"})


def member(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Enrol the account in the administrator's Security Hub in the Region (CreateMembers:
    an organization account becomes a member at once, no invitation; Security Hub is turned on
    in it with the standards the organization configuration allows: none), then the spec's
    standards in the account itself. The management account must turn Security Hub on itself
    before it can be a member (AWS does not do it for the management account).

    IAM actions: securityhub:EnableSecurityHub, securityhub:CreateMembers,
    securityhub:BatchEnableStandards, iam:CreateServiceLinkedRole
    """
    after = ctx.resolved(change.after or {})
    region = after["region"]
    account = account_of(change.address)
    account_id = ctx.id_of(f"account:{account}")
    own = ctx.member_client(account, "securityhub", region)
    if account_id == ctx.aws.caller_account():
        _enable_hub(ctx, own)
    admin = ctx.accounts().client(after["administrator"], "securityhub", region)
    answer = ctx.aws.call(admin, "create_members", AccountDetails=[{"AccountId": account_id}])
    for unprocessed in answer.get("UnprocessedAccounts", []):
        result = str(unprocessed.get("ProcessingResult", ""))
        if ALREADY_MEMBER not in result.lower():
            raise ApplyError(
                f"{change.address}: Security Hub did not enrol {account_id}: {result}",
                "Check the account in the security account's Security Hub, then apply again.",
            )
    ctx.checkpoint(index, "created")
    ctx.propagated(
        MEMBER_PROPAGATING, lambda: _enable_standards(ctx, own, region, after["standards"])
    )
    ctx.checkpoint(index, "called")
    return {}


def analyzer(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The organization analyzer in the Region, in the delegated administrator account
    (made once; one that exists is kept).

    IAM actions: access-analyzer:CreateAnalyzer, iam:CreateServiceLinkedRole
    """
    after = change.after or {}
    client = ctx.member_client(account_of(change.address), "accessanalyzer", after["region"])
    try:
        ctx.aws.call(client, "create_analyzer", analyzerName=after["name"], type=after["type"])
    except AwsError as exc:
        if exc.code != "ConflictException":  # made already
            raise
    ctx.checkpoint(index, "called")
    return {}


TRUST_CONFIG = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
#: What Config answers while the aggregator's role or the delegation propagates.
AGGREGATOR_PROPAGATING = frozenset({"InvalidRoleException", "OrganizationAccessDeniedException"})
AGGREGATOR_POLICY = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"


def aggregator(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The organization's Config aggregator in the security account: the role it reads the
    organization with (made once), then the aggregator over every account and Region.

    IAM actions: iam:GetRole, iam:CreateRole, iam:AttachRolePolicy, iam:PassRole,
    config:PutConfigurationAggregator, organizations:ListAccounts,
    organizations:DescribeOrganization, organizations:ListDelegatedAdministrators
    """
    after = change.after or {}
    account = account_of(change.address)
    iam = ctx.member_client(account, "iam")
    try:
        role = ctx.aws.call(iam, "get_role", RoleName=after["role"])["Role"]
    except AwsError as exc:
        if exc.code != "NoSuchEntity":
            raise
        role = ctx.aws.call(
            iam,
            "create_role",
            RoleName=after["role"],
            AssumeRolePolicyDocument=json.dumps(TRUST_CONFIG),
            Description="orgstack: AWS Config reads the organization's accounts for the aggregator",
        )["Role"]
    ctx.aws.call(iam, "attach_role_policy", RoleName=after["role"], PolicyArn=AGGREGATOR_POLICY)
    ctx.checkpoint(index, "created")
    config = ctx.member_client(account, "config", after["region"])
    source = {"RoleArn": role["Arn"], "AllAwsRegions": True}
    # The role was made moments ago, the delegation too: Config checks both.
    ctx.propagated(
        AGGREGATOR_PROPAGATING,
        lambda: ctx.aws.call(
            config,
            "put_configuration_aggregator",
            ConfigurationAggregatorName=after["name"],
            OrganizationAggregationSource=source,
        ),
    )
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {
    (type_, action): executor
    for type_, executor in (
        ("guardduty-admin", admin),
        ("securityhub-admin", admin),
        ("guardduty-detector", detector),
        ("securityhub-hub", hub),
        ("securityhub-member", member),
        ("accessanalyzer-analyzer", analyzer),
        ("config-aggregator", aggregator),
    )
    for action in ("create", "update")
}
#: The administrator changes that hand a service over to another account.
HANDOVERS = ("guardduty-admin", "securityhub-admin")


def waits_for(change: Change, changes: tuple[Change, ...]) -> set[int] | None:
    """A handover to another administrator goes before the Organizations registration of its
    service moves (GuardDuty's and Security Hub's documented order; those delegated-admin
    changes wait for it): it waits for trusted access and the other delegated-admin changes."""
    part = in_account(change.address).split("/")[-1]
    if change.action != Action.UPDATE or part not in HANDOVERS:
        return None
    handed = {f"{p.split('-', 1)[0]}.amazonaws.com" for p in HANDOVERS}
    return {
        j
        for j, c in enumerate(changes)
        if c.address.startswith("trusted-access:")
        or (
            c.address.startswith("delegated-admin:")
            and not (c.action == Action.UPDATE and in_account(c.address) in handed)
        )
    }


#: A detector's or hub's organization settings need the account to be the administrator; a
#: member needs the administrator's hub with its organization settings (no default standards).
WAITS_FOR = {
    "guardduty-detector": ("guardduty-admin",),
    "securityhub-hub": ("securityhub-admin",),
    "securityhub-member": ("securityhub-admin", "securityhub-hub"),
}
