"""The stage accounts of one workload get different SCPs.

What it does: For each workload, compares the SCPs that apply to each of its stage accounts
(attached to the root, every enclosing OU and the account) with those of its prod account.

Why it matters: Stages are kept identical so that what works in dev and qa works in prod; a
guardrail that only prod has breaks releases late, and one that only dev has hides a problem.

Example: deny-outside-allowed-regions attached to Workloads/Prod but not Workloads/NonProd.

Fix: Attach stage-independent guardrails to a common parent OU (Workloads), or the same ones to
both Prod and NonProd.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import effective_scps, stage_accounts

RULE = define(__name__, __doc__, id="LZ108", severity="warning", doc_url=sources.PROD_NONPROD)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for accounts in stage_accounts(model).values():
        reference = next((a for a in accounts if a.stage == "prod"), accounts[0])
        expected = {p.name for p in effective_scps(model, reference)}
        for account in accounts:
            actual = {p.name for p in effective_scps(model, account)}
            if account is reference or actual == expected:
                continue
            parts = []
            if extra := sorted(actual - expected):
                parts.append(f"has {', '.join(extra)}")
            if missing := sorted(expected - actual):
                parts.append(f"lacks {', '.join(missing)}")
            yield RULE.at(
                account,
                f"{account.name} {' and '.join(parts)} compared with {reference.name} "
                f"(stages of workload {account.workload})",
            )
