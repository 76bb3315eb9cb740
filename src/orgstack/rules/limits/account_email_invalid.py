"""An account's root e-mail is not a valid address.

What it does: Checks each account's root e-mail (declared or derived from the pattern):
one @, a domain with a dot, no spaces, only the characters AWS accepts.

Why it matters: CreateAccount fails with INVALID_EMAIL, after other changes of the apply have
already been made.

Example: email: aws+payments@localhost

Fix: Use an address of a mailbox your company controls, such as aws+{account}@example.com.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)

RULE = define(__name__, __doc__, id="LZ009", severity="error", doc_url=sources.CREATE_ACCOUNT)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.email is not None and not EMAIL.match(account.email):
            yield RULE.at(
                account, f"account {account.name}: {account.email!r} is not a valid e-mail address"
            )
