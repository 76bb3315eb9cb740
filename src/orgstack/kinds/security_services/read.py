"""Read the security services in every Region the spec names: each administrator from the
management account, the GuardDuty detector and the Security Hub hub (with their organization
settings and standards) in the security account through the access role; all concurrently.

IAM actions: sts:AssumeRole, guardduty:ListOrganizationAdminAccounts, guardduty:ListDetectors,
guardduty:GetDetector, guardduty:DescribeOrganizationConfiguration,
securityhub:ListOrganizationAdminAccounts, securityhub:DescribeHub,
securityhub:DescribeOrganizationConfiguration, securityhub:GetEnabledStandards,
access-analyzer:ListAnalyzers, config:DescribeConfigurationAggregators
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.security_services.desired import (
    AGGREGATOR,
    ANALYZER,
    FSBP,
    PREFIX,
    desired,
)
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.model import Plan

#: What Security Hub answers in an account that has not enabled it.
NOT_ENABLED = {"InvalidAccessException", "ResourceNotFoundException"}
#: The standards orgstack enables and reads back (others a team turns on are theirs).
MANAGED_STANDARDS = (FSBP,)


def _admin(ctx: ReadContext, client: Any, service: str, region: str) -> dict[str, Any] | None:
    found = ctx.call(client, "list_organization_admin_accounts").get("AdminAccounts", [])
    id_key, status_key = (
        ("AdminAccountId", "AdminStatus")
        if service == "guardduty"
        else (
            "AccountId",
            "Status",
        )
    )
    enabled = [a[id_key] for a in found if a.get(status_key) in (None, "ENABLED")]
    return {"admin": enabled[0], "region": region} if enabled else None


def _detector(ctx: ReadContext, client: Any, region: str) -> dict[str, Any] | None:
    detectors = ctx.call(client, "list_detectors").get("DetectorIds", [])
    if not detectors:
        return None
    detector = ctx.call(client, "get_detector", DetectorId=detectors[0])
    config = ctx.call(client, "describe_organization_configuration", DetectorId=detectors[0])
    auto = config.get("AutoEnableOrganizationMembers")
    if auto is None:  # the older field: True meant new accounts
        auto = "NEW" if config.get("AutoEnable") else "NONE"
    return {"enabled": detector.get("Status") == "ENABLED", "auto_enable": auto, "region": region}


def _hub(ctx: ReadContext, client: Any, region: str) -> dict[str, Any] | None:
    try:
        ctx.call(client, "describe_hub")
    except AwsError as exc:
        if exc.code in NOT_ENABLED:
            return None
        raise
    try:
        config = ctx.call(client, "describe_organization_configuration")
    except AwsError as exc:  # not (yet) the administrator: no organization settings
        if exc.code != "AccessDeniedException":
            raise
        config = {}
    enabled = ctx.call(client, "get_enabled_standards").get("StandardsSubscriptions", [])
    standards = sorted(
        arn.split("::", 1)[-1]
        for s in enabled
        if (arn := s["StandardsArn"]).split("::", 1)[-1] in MANAGED_STANDARDS
        and s.get("StandardsStatus") in ("READY", "PENDING", "INCOMPLETE")
    )
    return {
        "enabled": True,
        "auto_enable": bool(config.get("AutoEnable")),
        "standards": standards,
        "region": region,
    }


def _analyzer(ctx: ReadContext, client: Any, region: str) -> dict[str, Any] | None:
    found = ctx.call(client, "list_analyzers", type="ORGANIZATION").get("analyzers", [])
    ours = next((a for a in found if a.get("name") == ANALYZER), None)
    if ours is None:
        return None
    return {"name": ANALYZER, "type": ours["type"], "status": ours.get("status"), "region": region}


def _aggregator(ctx: ReadContext, client: Any, region: str) -> dict[str, Any] | None:
    try:
        found = ctx.call(
            client, "describe_configuration_aggregators", ConfigurationAggregatorNames=[AGGREGATOR]
        )["ConfigurationAggregators"]
    except AwsError as exc:
        if exc.code == "NoSuchConfigurationAggregatorException":
            return None
        raise
    source = found[0].get("OrganizationAggregationSource") if found else None
    if source is None:
        return None
    return {
        "name": AGGREGATOR,
        "role": source.get("RoleArn", "").rsplit("/", 1)[-1],
        "all_regions": bool(source.get("AllAwsRegions")),
        "region": region,
    }


MEMBER_READERS: dict[str, Callable[[ReadContext, Any, str], dict[str, Any] | None]] = {
    "detector": _detector,
    "hub": _hub,
    "analyzer": _analyzer,
    "aggregator": _aggregator,
}


def _parts(addresses: list[str]) -> list[tuple[str, str, str, str]]:
    """(account, Region, service, part) of each address."""
    found = []
    for where in addresses:
        region, kind = in_account(where).split("/")
        service, part = kind.split("-", 1)
        found.append((account_of(where), region, service, part))
    return found


def _job(ctx: ReadContext, request: ReadRequest, item: tuple[str, str, str, str]) -> Any:
    account, region, service, part = item
    if part == "admin":
        if request.live is None:
            return None  # no organization yet: nothing is administered
        return lambda: _admin(ctx, ctx.client(service, region), service, region)
    account_id = request.accounts.get(account)
    if account_id is None:
        return None
    return lambda: MEMBER_READERS[part](ctx, ctx.member(account_id, service, region), region)


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    addresses = request.addresses(desired)
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where, item in zip(addresses, _parts(addresses), strict=True):
            if request.only is not None and item[0] not in request.only:
                continue
            if (job := _job(ctx, request, item)) is not None:
                futures[where] = pool.submit(job)
        for where, future in futures.items():
            live.found(where, future.result())
    return live


def section_from_plan(plan: Plan) -> list[str]:
    """The addresses of the plan's security-service changes, for the stale check."""
    return [c.address for c in plan.changes if c.address.startswith(PREFIX + ":")]
