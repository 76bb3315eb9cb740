"""What the spec means for the organization's own objects: each one's value as a plan creates
it (the organization, the policy types the spec's policies need, OUs, member accounts,
orgstack's policies), by address. The diff plans creations from it and compares the live
objects with the spec's through its matching (``diff.py``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.plan import lifecycle
from orgstack.plan.resources import resolve


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {
        "organization": {"feature_set": "ALL", **lifecycle.management_name(model)}
    }
    declared = [p for p in model.policies if not p.aws_managed]
    for aws_type in sorted({p.type.aws_name for p in declared}):
        found[f"policy-type:{aws_type}"] = {"status": "ENABLED"}
    for ou in model.ous:
        found[ou.address] = {"name": ou.name, "parent": ou.parent_path, "tags": dict(ou.tags)}
    for policy in declared:
        content = json.loads(policy.content)
        if "{account:" in policy.content:  # a section's policy naming an account: its id
            content = resolve(content, ids)
        found[policy.address] = {
            "name": policy.name,
            "type": policy.type.aws_name,
            "description": policy.description,
            "content": content,
        }
    for account in model.accounts:
        if account.purpose != "management":
            found[account.address] = {
                "name": account.name,
                "email": account.email,
                "ou": account.ou,
                "tags": dict(account.tags),
                "access_role": model.organization.access_role,
            }
    return found
