"""The alias each account declares (``iam_alias``)."""

from __future__ import annotations

from orgstack.model.kind import resource_address


def address(account: str) -> str:
    return resource_address("iam-alias", account)
