"""A top-level OU is named after a business unit or team.

What it does: Compares top-level OU names with the business units and teams of the accounts
(ignoring case, hyphens and underscores).

Why it matters: AWS advises organizing OUs by function and common controls (Security,
Infrastructure, Workloads, Sandbox…), not by reporting line: reorganizations then move no
accounts, and guardrails follow what accounts do. Business units belong below Prod and
NonProd, or in tags.

Example: organizational_units: {Retail: {children: {Prod: {}, Dev: {}}}}

Fix: Make the top level functional (Workloads/Prod, Workloads/NonProd) and put the business
unit one level below, or only in the account's business_unit.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define


def _norm(text: str) -> str:
    return text.lower().replace("-", "").replace("_", "").replace(" ", "")


RULE = define(__name__, __doc__, id="LZ111", severity="warning", doc_url=sources.OU_BENEFITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    units = {_norm(v): v for a in model.accounts for v in (a.business_unit, a.team) if v}
    for ou in model.children("root"):
        if _norm(ou.name) in units:
            yield RULE.at(
                ou,
                f"top-level OU {ou.name} is named after business unit or team "
                f"{units[_norm(ou.name)]}; group top-level OUs by function",
            )
