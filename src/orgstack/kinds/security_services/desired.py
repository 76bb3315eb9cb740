"""Each service's administrator, the security account's part and every other account's
Security Hub membership in every Region the ``security:`` section names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.plan.resources import account_ref

SECTION = "security"
PREFIX = "security-service"
#: AWS Foundational Security Best Practices, the standard a spec runs unless it says otherwise.
FSBP = "standards/aws-foundational-security-best-practices/v/1.0.0"
#: What ListMembers says of a member the administrator sees (AWS's ``MemberStatus``).
ENABLED = "Enabled"
#: The organization analyzer's and the Config aggregator's name.
ANALYZER = AGGREGATOR = "orgstack-organization"
#: The role the Config aggregator reads the organization with, in the security account (not
#: "orgstack-…": those names are the access kind's switch-role roles).
AGGREGATOR_ROLE = "OrgstackConfigAggregator"
#: Per service of ``security.services``: its API name, whether the management account
#: designates its administrator per Region, the security account's part and its value.
MEMBER_PART: dict[str, tuple[str, bool, str, dict[str, Any]]] = {
    "guardduty": ("guardduty", True, "detector", {"enabled": True, "auto_enable": "ALL"}),
    "securityhub": (
        "securityhub",
        True,
        "hub",
        # new accounts enrolled with none of AWS's default standards: the spec's, below
        {"enabled": True, "auto_enable": True, "auto_enable_standards": "NONE"},
    ),
    "access-analyzer": (
        "accessanalyzer",
        False,
        "analyzer",
        {"name": ANALYZER, "type": "ORGANIZATION", "status": "ACTIVE"},
    ),
}


def address(account: str, region: str, service: str, part: str) -> str:
    return resource_address(PREFIX, account, region, f"{service}-{part}")


def standard_arn(region: str, standard: str) -> str:
    """A standard's ARN in the Region (CIS 1.2.0 is a ``ruleset`` of no Region)."""
    where = "" if standard.startswith("ruleset/") else region
    return f"arn:aws:securityhub:{where}::{standard}"


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
