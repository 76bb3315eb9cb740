"""Two accounts share a root e-mail.

What it does: Compares the root e-mails of all accounts, ignoring case.

Why it matters: A root e-mail may belong to one AWS account only, ever; CreateAccount fails with
EMAIL_ALREADY_EXISTS. The spec loader refuses duplicates too; this rule also covers models
built elsewhere (for example read from AWS).

Example: two accounts with AWS+web@example.com and aws+web@example.com.

Fix: Give each account its own address; plus addressing (aws+<account>@) keeps one mailbox.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import Account, OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ011", severity="error", doc_url=sources.CREATE_ACCOUNT)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    seen: dict[str, Account] = {}
    for account in model.accounts:
        if account.email is None:
            continue
        first = seen.setdefault(account.email.lower(), account)
        if first is not account:
            yield RULE.at(
                account,
                f"account {account.name}: root e-mail {account.email} is also the root e-mail of "
                f"account {first.name}",
            )
