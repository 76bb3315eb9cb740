"""Each service's administrator, the security account's part and every other account's
Security Hub membership in every Region the ``security:`` section names."""

from __future__ import annotations

from typing import Any

from orgstack.model.kind import resource_address

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
