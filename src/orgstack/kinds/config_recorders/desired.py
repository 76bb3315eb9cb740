"""A Config recorder and delivery channel for every account of the spec in every Region of
``security:``, when it lists ``config`` and ``logging:`` gives the log archive: the channel
delivers into the archive's Config bucket (AWS Config does not support a delivery channel into
a bucket with Object Lock, so never the locked log bucket)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.model.logs import SECTION as LOGGING
from orgstack.model.logs import config_bucket_name
from orgstack.plan.resources import account_ref

PREFIX = "config-recorder"
#: The role Config records with: AWS's service-linked role, created in each account.
ROLE = "arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def address(account: str, region: str) -> str:
    return resource_address(PREFIX, account, region)


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
