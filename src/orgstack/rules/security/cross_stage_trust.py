"""A prod account's role trusts a non-prod account.

What it does: Flags switch-role roles in prod-stage accounts whose trust policy names
principals of an account with another stage (dev, qa, staging…), e.g. an identity account kept
in a dev account.

Why it matters: Stages are isolated so that nothing in dev can reach prod. A prod role that
trusts a dev account makes every administrator of that dev account a potential prod user; a
dev compromise becomes a prod compromise.

Example: access.identity_account: app-dev, with grants into app-prod.

Fix: Keep identities in the management account (the default) or in a dedicated identity
account without a stage, or use IAM Identity Center.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import access_roles, principal_accounts

RULE = define(
    __name__, __doc__, id="LZ210", severity="warning", doc_url=sources.CROSS_ACCOUNT_ROLES
)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    stage_of: dict[str, str | None] = {}
    for account in model.accounts:
        stage_of["{account:" + account.name + "}"] = account.stage
        if account.id:
            stage_of[account.id] = account.stage
    names = {a.name: a for a in model.accounts}
    for role in access_roles(model):
        home = names.get(role.account)
        if home is None or home.stage != "prod":
            continue
        for statement in role.trust.get("Statement", []):
            other = sorted(
                {p for p in principal_accounts(statement) if stage_of.get(p) not in (None, "prod")}
            )
            if other:
                stages = ", ".join(f"{p} ({stage_of[p]})" for p in other)
                yield RULE.finding(
                    role.address,
                    f"{role.role} in prod account {role.account} trusts non-prod account(s) "
                    f"{stages}",
                    role.source,
                )
