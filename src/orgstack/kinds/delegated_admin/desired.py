"""The delegated administrator of each service principal the ``security:`` section names,
and the trusted access each registration needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.plan.resources import account_ref

SECTION = "security"
#: Every principal this kind may register (a live registration of another principal is not
#: orgstack's business).
PRINCIPALS = (
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
)


def address(principal: str) -> str:
    return resource_address("delegated-admin", "organization", principal)


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    account = section["account"]
    value = {"account": account, "account_id": account_ref(account, ids)}
    return {address(p): dict(value) for p in section["principals"]}


def trusted_access(model: OrgModel) -> set[str]:
    """Registering a delegated administrator needs the service's trusted access."""
    section = model.sections.get(SECTION)
    return set(section["principals"]) if section else set()
