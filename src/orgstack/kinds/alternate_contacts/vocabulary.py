"""Each account's alternate contacts, and the trusted access setting them needs."""

from __future__ import annotations

from orgstack.model.kind import resource_address

SECTION = "alternate_contacts"
PREFIX = "alternate-contact"
SERVICE = "account.amazonaws.com"


def address(account: str, type_: str) -> str:
    return resource_address(PREFIX, account, type_)
