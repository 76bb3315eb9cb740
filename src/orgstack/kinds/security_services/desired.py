"""The security services kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.security_services.vocabulary import (
    AGGREGATOR,
    AGGREGATOR_ROLE,
    ENABLED,
    MEMBER_PART,
    SECTION,
    address,
)
from orgstack.model import OrgModel
from orgstack.plan.resources import account_ref


def _members(
    model: OrgModel, section: Mapping[str, Any], ids: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Every account of the spec but the administrator, a Security Hub member in every Region
    running the spec's standards: ``UpdateOrganizationConfiguration(AutoEnable)`` enrols only
    accounts that join later, so the accounts there already are enrolled one by one."""
    admin = section["account"]
    found: dict[str, dict[str, Any]] = {}
    for account in model.accounts:
        if account.name == admin:
            continue
        for region in section["regions"]:
            found[address(account.name, region, "securityhub", "member")] = {
                "administrator": account_ref(admin, ids),
                "status": ENABLED,
                "standards": list(section["standards"]),
                "region": region,
            }
    return found


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    management = model.management
    if not section or management is None:
        return {}
    admin = section["account"]
    found: dict[str, dict[str, Any]] = {}
    for declared, (service, designated, part, shape) in MEMBER_PART.items():
        if declared not in section["services"]:
            continue
        value = dict(shape)
        if service == "securityhub":
            value["standards"] = list(section["standards"])
        for region in section["regions"]:
            if designated:
                found[address(management.name, region, service, "admin")] = {
                    "admin": account_ref(admin, ids),
                    "region": region,
                }
            found[address(admin, region, service, part)] = {**value, "region": region}
    if "securityhub" in section["services"]:
        found |= _members(model, section, ids)
    if "config" in section["services"]:
        # One aggregator, in the home Region, gathers every account in every Region.
        home = model.organization.home_region
        found[address(admin, home, "config", "aggregator")] = {
            "name": AGGREGATOR,
            "role": AGGREGATOR_ROLE,
            "all_regions": True,
            "region": home,
        }
    return found
