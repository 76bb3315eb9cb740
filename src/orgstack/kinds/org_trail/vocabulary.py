"""The organization trail the ``logging:`` section implies, and the trusted access it needs."""

from __future__ import annotations

from orgstack.model.kind import resource_address

SECTION = "logging"
SERVICE = "cloudtrail.amazonaws.com"


def address(management: str, name: str) -> str:
    return resource_address("org-trail", management, name)
