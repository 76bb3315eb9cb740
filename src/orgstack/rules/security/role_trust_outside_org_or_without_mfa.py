"""A switch-role role trusts principals outside the organization, or lets them in without MFA.

What it does: Looks at the trust policy of every orgstack switch-role role (as the matrix
implies it, or as audit reads it from AWS): each statement that allows sts:AssumeRole must name
principals of accounts in the organization, never "*", and must require
aws:MultiFactorAuthPresent.

Why it matters: The trust policy decides who may enter an account. A principal outside the
organization, or a wildcard, lets people in whom none of the organization's controls cover; a
role without the MFA condition can be entered with a leaked access key alone.

Example: A grant with mfa: false, or a role whose trust names arn:aws:iam::999999999999:root.

Fix: Keep mfa: true on every grant; give people outside the organization a user in the
identity account (or Identity Center) instead of trusting their account.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import access_roles, principal_accounts

RULE = define(__name__, __doc__, id="LZ208", severity="warning", doc_url=sources.REQUIRE_MFA)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    known = {a.id for a in model.accounts if a.id} | {
        "{account:" + a.name + "}" for a in model.accounts
    }
    if model.organization.management_account_id:
        known.add(model.organization.management_account_id)
    for role in access_roles(model):
        for statement in role.trust.get("Statement", []):
            if statement.get("Effect") != "Allow" or not any(
                "AssumeRole" in a for a in as_list(statement.get("Action"))
            ):
                continue
            outside = sorted({p for p in principal_accounts(statement) if p not in known})
            if outside:
                yield RULE.finding(
                    role.address,
                    f"{role.role} in {role.account} trusts principals outside the "
                    f"organization: {', '.join(outside)}",
                    role.source,
                )
            if "aws:MultiFactorAuthPresent" not in str(statement.get("Condition", {})):
                yield RULE.finding(
                    role.address,
                    f"{role.role} in {role.account} can be assumed without MFA",
                    role.source,
                )
