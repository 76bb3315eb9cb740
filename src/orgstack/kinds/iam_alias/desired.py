"""The iam alias kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.iam_alias.vocabulary import address
from orgstack.model import OrgModel


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    return {address(a.name): {"alias": a.iam_alias} for a in model.accounts if a.iam_alias}
