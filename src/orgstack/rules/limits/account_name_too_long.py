"""An account name is longer than 50 characters or has characters AWS refuses.

What it does: Checks each account name: 1 to 50 printable ASCII characters.

Why it matters: CreateAccount rejects longer names, or names with other characters.

Example: payments-settlement-reconciliation-and-reporting-staging (55 characters).

Fix: Shorten the name; put the longer description in a tag or in the spec's comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_LENGTH = 50
PRINTABLE = re.compile(r"^[\x20-\x7e]+$")

RULE = define(__name__, __doc__, id="LZ012", severity="error", doc_url=sources.CREATE_ACCOUNT)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if len(account.name) > MAX_LENGTH:
            yield RULE.at(
                account,
                f"account name {account.name} has {len(account.name)} characters; "
                f"AWS allows {MAX_LENGTH}",
            )
        if not PRINTABLE.match(account.name):
            yield RULE.at(
                account, f"account name {account.name!r} has characters other than printable ASCII"
            )
