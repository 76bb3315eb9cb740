"""The org trail kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.org_trail.vocabulary import SECTION, SERVICE, address
from orgstack.model import OrgModel
from orgstack.model.logs import bucket_names, key_alias_arn
from orgstack.plan.resources import account_ref


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
