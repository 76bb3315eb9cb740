"""The IAM policy orgstack needs, generated from the "IAM actions:" lines of its docstrings."""

from __future__ import annotations

import inspect
import re
from types import ModuleType
from typing import Any

from orgstack.apply.executors import access_iam, access_sso, account, organization, ou, policy
from orgstack.aws import assume
from orgstack.live import access as live_access
from orgstack.live import organization as live_organization

ACTION = re.compile(r"\b[a-z0-9-]+:[A-Z][A-Za-z]+\b")


def documented_actions(module: ModuleType) -> set[str]:
    """Every ``service:Action`` named after "IAM actions:" in the module's docstrings."""
    found: set[str] = set()
    docs = [module.__doc__ or ""] + [
        inspect.getdoc(f) or "" for _, f in inspect.getmembers(module, inspect.isfunction)
    ]
    docs += [inspect.getdoc(c) or "" for _, c in inspect.getmembers(module, inspect.isclass)]
    for doc in docs:
        _, marker, rest = doc.partition("IAM actions:")
        if marker:
            found |= set(ACTION.findall(rest))
    return found


def iam_policy() -> dict[str, Any]:
    """Read actions (the live reader) and write actions (the executors), least privilege."""
    read = (
        documented_actions(live_organization)
        | documented_actions(live_access)
        | {"sts:GetCallerIdentity"}
    )
    write: set[str] = set()
    for module in (organization, ou, policy, account, assume, access_iam, access_sso):
        write |= documented_actions(module)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "OrgstackRead", "Effect": "Allow", "Action": sorted(read), "Resource": "*"},
            {
                "Sid": "OrgstackApply",
                "Effect": "Allow",
                "Action": sorted(write - read),
                "Resource": "*",
            },
        ],
    }
