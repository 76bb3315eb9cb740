"""``orgstack import``: the ``security:`` section the live organization implies — the account
registered as delegated administrator of the security services, the services it administers,
and (with Security Hub) the standards its hub runs in the home Region. A service delegated to
another account than the others' cannot be written (the section has one administrator): it is
listed as not imported.

IAM actions: sts:AssumeRole, securityhub:GetEnabledStandards
"""

from __future__ import annotations

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.delegated_admin.schema import SERVICES, STANDARDS
from orgstack.model.kind import Discovered, DiscoverRequest

#: What Security Hub answers in an account where it is not enabled.
NOT_ENABLED = frozenset({"InvalidAccessException", "ResourceNotFoundException"})


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    names = request.names()
    by_principal = {p: a for a, p in request.live.organization.delegated_admins}
    admins: dict[str, list[str]] = {}
    for service, principals in SERVICES.items():
        found = {by_principal.get(p) for p in principals}
        if len(found) == 1 and (account_id := found.pop()) is not None:
            admins.setdefault(account_id, []).append(service)
    if not admins:
        return Discovered()
    account_id = max(admins, key=lambda a: len(admins[a]))
    notes = [
        f"security: {', '.join(services)} delegated to {names.get(other, other)}, not to "
        f"{names.get(account_id, account_id)}: the section has one administrator"
        for other, services in admins.items()
        if other != account_id
    ]
    if account_id not in names:
        return Discovered(notes=[f"security: the delegated administrator {account_id} is not "
                                 "an active account of the organization"])  # fmt: skip
    section: dict[str, object] = {"account": names[account_id], "services": admins[account_id]}
    if "securityhub" in admins[account_id]:
        section["standards"] = _standards(ctx, account_id, request.home_region)
    section["regions"] = [request.home_region]
    return Discovered(section, notes)


def _standards(ctx: ReadContext, account_id: str, region: str) -> list[str]:
    """The standards the administrator's hub runs, by the names a spec gives them."""
    client = ctx.member(account_id, "securityhub", region)
    try:
        enabled = ctx.call(client, "get_enabled_standards").get("StandardsSubscriptions", [])
    except AwsError as exc:
        if exc.code in NOT_ENABLED:
            return []
        raise
    by_part = {part: name for name, part in STANDARDS.items()}
    running = {
        by_part[part]
        for s in enabled
        if (part := s["StandardsArn"].split("::", 1)[-1]) in by_part
        and s.get("StandardsStatus") in ("READY", "PENDING", "INCOMPLETE")
    }
    return [name for name in STANDARDS if name in running]
