"""No SCP keeps workloads inside the allowed Regions.

What it does: Judges every workload and sandbox account by its effective SCPs (the root's,
each enclosing OU's and its own): one of them must have a Deny statement conditioned on
aws:RequestedRegion. Accounts are reported by OU. Without workload or sandbox accounts, any
attached Region deny SCP will do.

Why it matters: Without a Region guardrail, resources can appear in any Region, outside
monitoring, data-residency rules and budgets; Regions nobody watches are where compromised
credentials mine cryptocurrency.

Example: organization.allowed_regions lists two Regions; the Region deny SCP is attached to
Workloads/Dev but not to Workloads/Prod.

Fix: Attach a Region deny SCP to the Workloads and Sandbox OUs (orgstack init writes one:
deny-outside-allowed-regions).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Policy
from orgstack.model.policydoc import conditions_on
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, condition_problems, effective_scps, statements

RULE = define(__name__, __doc__, id="LZ207", severity="info", doc_url=sources.SCP_EXAMPLES)


#: Accounts that must stay inside the allowed Regions.
RESTRICTED = ("workload", "sandbox")


def _denies_regions(policy: Policy) -> bool:
    # A statement with a misspelt operator (StringNotEqual) restricts nothing: it does not count.
    return any(
        statement.get("Effect") == "Deny"
        and conditions_on(statement, "aws:RequestedRegion")
        and not condition_problems(statement)
        for statement in statements(policy)
    )


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    allowed = ", ".join(model.organization.allowed_regions)
    accounts = [a for a in model.accounts if a.purpose in RESTRICTED]
    if not accounts:
        if not any(p.type == SCP and p.targets and _denies_regions(p) for p in model.policies):
            yield RULE.at(model.organization, f"no SCP denies Regions outside {allowed}")
        return
    loose: dict[str, list[str]] = {}
    for account in accounts:
        if not any(_denies_regions(p) for p in effective_scps(model, account)):
            loose.setdefault(account.ou, []).append(account.name)
    for ou, names in sorted(loose.items()):
        found = model.ou(ou) if ou != "root" else None
        where = found or model.organization
        first = model.account(sorted(names)[0])
        shown = ", ".join(sorted(names)[:5]) + (
            f" and {len(names) - 5} more" if len(names) > 5 else ""
        )
        yield RULE.finding(
            where.address,
            f"{shown} ({'root' if ou == 'root' else ou}): no SCP on the "
            f"root, the OUs above or the account denies Regions outside {allowed}",
            where.source or (first.source if first else None),
        )
