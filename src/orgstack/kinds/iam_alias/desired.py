"""The alias each account declares (``iam_alias``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address


def address(account: str) -> str:
    return resource_address("iam-alias", account)


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    return {address(a.name): {"alias": a.iam_alias} for a in model.accounts if a.iam_alias}
