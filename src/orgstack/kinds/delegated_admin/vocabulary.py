"""The delegated administrator of each service principal the ``security:`` section names,
and the trusted access each registration needs."""

from __future__ import annotations

from orgstack.model.kind import resource_address

SECTION = "security"
#: Every principal this kind may register (a live registration of another principal is not
#: orgstack's business).
PRINCIPALS = (
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
)


def address(principal: str) -> str:
    return resource_address("delegated-admin", "organization", principal)
