"""The model as versioned JSON."""

from __future__ import annotations

import json
from typing import Any

from orgstack.model import OrgModel

MODEL_FORMAT_VERSION = 1


def model_to_dict(model: OrgModel) -> dict[str, Any]:
    org = model.organization
    return {
        "format_version": MODEL_FORMAT_VERSION,
        "organization": {
            "address": org.address,
            "name": org.name,
            "home_region": org.home_region,
            "allowed_regions": list(org.allowed_regions),
            "email_pattern": org.email_pattern,
            "feature_set": org.feature_set,
        },
        "organizational_units": [
            {"address": o.address, "path": o.path, "tags": dict(o.tags)} for o in model.ous
        ],
        "accounts": [
            {
                "address": a.address,
                "name": a.name,
                "purpose": a.purpose,
                "ou": a.ou,
                "email": a.email,
                "stage": a.stage,
                "workload": a.workload,
                "team": a.team,
                "business_unit": a.business_unit,
                "owner": a.owner,
                "iam_alias": a.iam_alias,
                "tags": dict(a.tags),
            }
            for a in model.accounts
        ],
        "policies": [
            {
                "address": p.address,
                "name": p.name,
                "type": p.type.value,
                "description": p.description,
                "targets": [t.address for t in p.targets],
                "aws_managed": p.aws_managed,
                "content": json.loads(p.content),
            }
            for p in model.policies
        ],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
