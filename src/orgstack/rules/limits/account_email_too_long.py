"""An account's root e-mail is longer than 64 characters.

What it does: Measures each account's root e-mail, declared or derived from the pattern.

Why it matters: CreateAccount accepts at most 64 characters, and so does AWS Control Tower's
account factory; long account names with plus addressing reach that quickly.

Example: aws+payments-settlement-reconciliation-staging@subsidiary.example.com (68).

Fix: Shorten the account name, the prefix or the domain, or set a shorter email explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_LENGTH = 64

RULE = define(__name__, __doc__, id="LZ010", severity="error", doc_url=sources.CREATE_ACCOUNT)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.email is not None and len(account.email) > MAX_LENGTH:
            yield RULE.at(
                account,
                f"account {account.name}: root e-mail {account.email} has {len(account.email)} "
                f"characters; AWS allows {MAX_LENGTH}",
            )
