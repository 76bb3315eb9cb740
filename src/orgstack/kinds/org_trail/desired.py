"""The organization trail the ``logging:`` section implies, and the trusted access it needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.model.logs import bucket_names, key_alias_arn
from orgstack.plan.resources import account_ref

SECTION = "logging"
SERVICE = "cloudtrail.amazonaws.com"


def address(management: str, name: str) -> str:
    return resource_address("org-trail", management, name)


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    management = model.management
    if not section or management is None:
        return {}
    archive = account_ref(section["account"], ids)
    region = model.organization.home_region
    bucket, _ = bucket_names(section, archive)
    return {
        address(management.name, section["trail_name"]): {
            "bucket": bucket,
            "kms_key": key_alias_arn(section, region, archive),
            "organization": True,
            "multi_region": True,
            "global_events": True,
            "log_file_validation": True,
            "logging": True,
            "region": model.organization.home_region,
        }
    }


def trusted_access(model: OrgModel) -> set[str]:
    """An organization trail needs CloudTrail's trusted access."""
    return {SERVICE} if model.sections.get(SECTION) else set()
