"""One plan line for trusted access."""

from __future__ import annotations

from orgstack.plan.model import Change


def detail(change: Change) -> str:
    return "let the service act in every account (EnableAWSServiceAccess)"
