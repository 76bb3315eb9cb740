"""The log archive kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.log_archive.vocabulary import (
    ACCESS_PREFIX,
    BLOCK_ALL,
    CONFIG_ACCESS_PREFIX,
    SECTION,
    access_log_policy,
    address,
    bucket_policy,
    config_bucket_policy,
    config_name,
    key_arn,
    key_policy,
    lifecycle,
    names,
)
from orgstack.model import OrgModel
from orgstack.plan.resources import canonical


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    account = section["account"]
    bucket, access = names(section, ids)
    region = model.organization.home_region
    encrypted = {"algorithm": "aws:kms", "key": key_arn(section, model, ids)}
    return {
        address(account, "key"): {
            "alias": f"alias/{section['key_alias']}",
            "policy": canonical(key_policy(section, model, ids)),
            "rotation": True,
            "region": region,
        },
        address(account, "access-logs"): {
            "name": access,
            "versioning": "Enabled",
            "encryption": {"algorithm": "AES256", "key": None},
            "public_access_block": dict(BLOCK_ALL),
            "policy": canonical(access_log_policy(section, ids)),
            "region": region,
        },
        address(account, "bucket"): {
            "name": bucket,
            "versioning": "Enabled",
            "object_lock": {"mode": "COMPLIANCE", "days": section["retention_days"]},
            "encryption": dict(encrypted),
            "public_access_block": dict(BLOCK_ALL),
            "policy": canonical(bucket_policy(section, model, ids)),
            "lifecycle": lifecycle(section),
            "logging": {"target": access, "prefix": ACCESS_PREFIX},
            "region": region,
        },
        address(account, "config-bucket"): {
            "name": config_name(section, ids),
            "versioning": "Enabled",
            "encryption": dict(encrypted),
            "public_access_block": dict(BLOCK_ALL),
            "policy": canonical(config_bucket_policy(section, model, ids)),
            "lifecycle": lifecycle(section),
            "logging": {"target": access, "prefix": CONFIG_ACCESS_PREFIX},
            "region": region,
        },
    }
