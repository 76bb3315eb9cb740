"""How the report shows alternate contacts: a column of the accounts table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.alternate_contacts.vocabulary import PREFIX
from orgstack.model import OrgModel
from orgstack.model.kind import account_of, in_account


def report(model: OrgModel, resources: Mapping[str, Any]) -> dict[str, Any]:
    by_account: dict[str, list[str]] = {}
    for address, value in resources.items():
        if address.startswith(PREFIX + ":"):
            by_account.setdefault(account_of(address), []).append(
                f"{in_account(address)}: {value.get('name')} <{value.get('email')}>"
            )
    return {"column": "Contacts", "by_account": by_account}
