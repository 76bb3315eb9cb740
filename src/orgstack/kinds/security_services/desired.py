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
#: Per service: the security account's part and its value in a Region.
MEMBER_PART: dict[str, tuple[str, dict[str, Any]]] = {
    "guardduty": ("detector", {"enabled": True, "auto_enable": "ALL"}),
    "securityhub": ("hub", {"enabled": True, "auto_enable": True, "standards": [FSBP]}),
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
    for service, (part, value) in MEMBER_PART.items():
        if service not in section["services"]:
            continue
        for region in section["regions"]:
            found[address(management.name, region, service, "admin")] = {
                "admin": account_ref(admin, ids),
                "region": region,
            }
            found[address(admin, region, service, part)] = {**value, "region": region}
    return found
