"""Each service's administrator and the security account's part in every Region the
``security:`` section names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.plan.resources import account_ref

SECTION = "security"
PREFIX = "security-service"
#: AWS Foundational Security Best Practices, the standard every hub runs.
FSBP = "standards/aws-foundational-security-best-practices/v/1.0.0"
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
        {"enabled": True, "auto_enable": True, "standards": [FSBP]},
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
    return f"arn:aws:securityhub:{region}::{standard}"


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    management = model.management
    if not section or management is None:
        return {}
    admin = section["account"]
    found: dict[str, dict[str, Any]] = {}
    for declared, (service, designated, part, value) in MEMBER_PART.items():
        if declared not in section["services"]:
            continue
        for region in section["regions"]:
            if designated:
                found[address(management.name, region, service, "admin")] = {
                    "admin": account_ref(admin, ids),
                    "region": region,
                }
            found[address(admin, region, service, part)] = {**value, "region": region}
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
