"""One plan line for a security service part."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change

NAMES = {
    "guardduty": "GuardDuty",
    "securityhub": "Security Hub",
    "accessanalyzer": "Access Analyzer",
    "config": "AWS Config",
}
WHAT = {
    "detector": "detector, every account enrolled (auto-enable ALL)",
    "hub": "hub, new accounts enrolled, Foundational Security Best Practices",
    "analyzer": "organization analyzer (resources shared outside the organization)",
    "aggregator": "aggregator of every account and Region",
}


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    region, kind = in_account(change.address).split("/")
    service, part = kind.split("-", 1)
    name = NAMES.get(service, service)
    if change.action == Action.UPDATE:
        return f"{name}: restores {', '.join(sorted(before)) or 'nothing'} in {region}"
    if change.action == Action.DELETE:
        return f"{name}: left in place in {region} (orgstack never disables it)"
    if part == "admin":
        return f"{name} administrator {after.get('admin')} in {region}"
    return f"{name} {WHAT.get(part, part)} in {region}"
