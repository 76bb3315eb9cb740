"""The config recorders kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.config_recorders.vocabulary import ROLE, address
from orgstack.model import OrgModel
from orgstack.model.logs import SECTION as LOGGING
from orgstack.model.logs import config_bucket_name
from orgstack.plan.resources import account_ref


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    security = model.sections.get("security")
    logging = model.sections.get(LOGGING)
    if not security or not logging or "config" not in security["services"]:
        return {}
    bucket = config_bucket_name(logging, account_ref(logging["account"], ids))
    home = model.organization.home_region
    found: dict[str, dict[str, Any]] = {}
    for account in model.accounts:
        for region in security["regions"]:
            found[address(account.name, region)] = {
                "recording": True,
                "all_supported": True,
                "global_resources": region == home,
                "role": ROLE.format(account=account_ref(account.name, ids)),
                "bucket": bucket,
                "region": region,
            }
    return found
