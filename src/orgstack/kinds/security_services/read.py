"""Read the security services in every Region the spec names: each administrator from the
management account, the GuardDuty detector and the Security Hub hub (with their organization
settings and standards) in the security account through the access role, every account's
Security Hub membership (one ListMembers per Region, from the administrator) and its standards
(in the account); all concurrently.

Beside the spec's addresses, each Region's member list is kept as
``security-service:<administrator>/<region>/securityhub-members`` (never planned: rule LZ217
judges the organization's accounts outside the spec with it).

IAM actions: sts:AssumeRole, guardduty:ListOrganizationAdminAccounts, guardduty:ListDetectors,
guardduty:GetDetector, guardduty:DescribeOrganizationConfiguration,
securityhub:ListOrganizationAdminAccounts, securityhub:DescribeHub,
securityhub:DescribeOrganizationConfiguration, securityhub:GetEnabledStandards,
securityhub:ListMembers, access-analyzer:ListAnalyzers, config:DescribeConfigurationAggregators
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.security_services.vocabulary import (
    AGGREGATOR,
    ANALYZER,
    ENABLED,
    address,
)
from orgstack.model.kind import Live, ReadRequest, account_of, in_account

#: What Security Hub answers in an account that has not enabled it.
NOT_ENABLED = {"InvalidAccessException", "ResourceNotFoundException"}
#: A standard that is on (or turning on): others a team turns on are theirs, not read.
RUNNING = ("READY", "PENDING", "INCOMPLETE")


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


def _standards(ctx: ReadContext, client: Any, wanted: list[str]) -> list[str]:
    """Which of the ``wanted`` standards run in the account (its hub's client)."""
    try:
        enabled = ctx.call(client, "get_enabled_standards").get("StandardsSubscriptions", [])
    except AwsError as exc:
        if exc.code in NOT_ENABLED:
            return []
        raise
    return sorted(
        part
        for s in enabled
        if (part := s["StandardsArn"].split("::", 1)[-1]) in wanted
        and s.get("StandardsStatus") in RUNNING
    )


def _hub(ctx: ReadContext, client: Any, want: dict[str, Any]) -> dict[str, Any] | None:
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
    return {
        "enabled": True,
        "auto_enable": bool(config.get("AutoEnable")),
        "auto_enable_standards": config.get("AutoEnableStandards", "DEFAULT"),
        "standards": _standards(ctx, client, want.get("standards") or []),
        "region": want["region"],
    }


def _members(ctx: ReadContext, admin_id: str, region: str) -> dict[str, str]:
    """Account id → membership status of every account the administrator's Security Hub
    lists in the Region (``OnlyAssociated=False``: removed ones too); none when it is not
    (yet) the administrator or has no hub."""
    client = ctx.member(admin_id, "securityhub", region)
    try:
        found = list(ctx.pages(client, "list_members", "Members", OnlyAssociated=False))
    except AwsError as exc:
        if exc.code in (*NOT_ENABLED, "AccessDeniedException"):
            return {}
        raise
    return {
        m["AccountId"]: ENABLED
        if str(m.get("MemberStatus")).lower() == "enabled"
        else m.get("MemberStatus", "")
        for m in found
    }


def _member(
    ctx: ReadContext, account_id: str, want: dict[str, Any], listed: dict[str, str]
) -> dict[str, Any] | None:
    status = listed.get(account_id)
    if status is None:
        return None
    hub = ctx.member(account_id, "securityhub", want["region"])
    running = _standards(ctx, hub, want["standards"]) if status == ENABLED else []
    return {
        "administrator": want["administrator"],
        "status": status,
        "standards": running,
        "region": want["region"],
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


def _job(
    ctx: ReadContext,
    request: ReadRequest,
    item: tuple[str, str, str, str],
    want: dict[str, Any],
    listed: dict[tuple[str, str], dict[str, str]],
) -> Any:
    account, region, service, part = item
    if part == "admin":
        if request.live is None:
            return None  # no organization yet: nothing is administered
        return lambda: _admin(ctx, ctx.client(service, region), service, region)
    account_id = request.accounts.get(account) or request.ids.get(f"account:{account}")
    if account_id is None:
        return None
    if part == "member":
        found = listed.get((want["administrator"], region))
        return None if found is None else lambda: _member(ctx, account_id, want, found)
    client = ctx.member(account_id, service, region)
    if part == "hub":
        return lambda: _hub(ctx, client, want)
    return lambda: MEMBER_READERS[part](ctx, client, region)


def _member_lists(
    ctx: ReadContext, pool: ThreadPoolExecutor, wanted: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], dict[str, str]]:
    """Each (administrator, Region)'s member list, read once for every member address."""
    pairs = {
        (want["administrator"], want["region"])
        for where, want in wanted.items()
        if where.endswith("/securityhub-member") and str(want["administrator"]).isdigit()
    }
    futures = {pair: pool.submit(_members, ctx, *pair) for pair in pairs}
    return {pair: future.result() for pair, future in futures.items()}


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    wanted = {where: dict(value) for where, value in request.targets.items()}
    addresses = list(wanted)
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        listed = _member_lists(ctx, pool, wanted)
        futures = {}
        for where, item in zip(addresses, _parts(addresses), strict=True):
            if request.only is not None and item[0] not in request.only:
                continue
            if (job := _job(ctx, request, item, wanted[where], listed)) is not None:
                futures[where] = pool.submit(job)
        for where, future in futures.items():
            live.found(where, future.result())
    admins = {a.id: a.name for a in (request.live.accounts if request.live else ()) if a.id}
    for (admin_id, region), found in listed.items():
        where = address(admins.get(admin_id, admin_id), region, "securityhub", "members")
        live.resources[where] = {  # read for the rules, never planned (not managed)
            "members": sorted(a for a, status in found.items() if status == ENABLED),
            "region": region,
        }
    return live
