"""A grant in the management account reaches every member account as administrator.

What it does: Flags grants in the management account whose level may call sts:AssumeRole on
the organization access role (admin, poweruser — PowerUserAccess leaves STS allowed — or a
custom level allowing it): that role, in every account the organization created, trusts the
management account and is AdministratorAccess, and SCPs never bind the management account.

Why it matters: "PowerUser in management" reads as a modest grant; its effective reach is
admin everywhere (orgstack-PowerUser in management → OrganizationAccountAccessRole in each
member). `orgstack access --matrix` shows the chain; `--verify` tries it.

Example: {group: devops, level: poweruser, accounts: {purpose: management}}.

Fix: Grant billing, readonly or security-audit in the management account, and write access
in the member accounts themselves. If the reach is intended (a platform team), acknowledge
it with an ignore: entry for LZ222 and the grant (grant:<group>/<level>), with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ222", severity="error", doc_url=sources.ACCESS_ROLE)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    access, management = model.access, model.management
    if access is None or management is None:
        return
    role = model.organization.access_role
    members = len([a for a in model.accounts if a.name != management.name])
    for grant in access.escalations(management.name, role):
        yield RULE.at(
            grant,
            f"grant {grant.group} → {grant.level} in {management.name} reaches every member "
            f"account ({members} in the spec) as administrator: {grant.level} may call "
            f"sts:AssumeRole on {role}, which trusts the management account, outside every SCP",
        )
