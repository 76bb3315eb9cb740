"""GuardDuty, Security Hub or AWS Config is off, unadministered or not covering every account
in a Region the security: section names.

What it does: For each Region of security: (on audit: as AWS has it), checks that the
security account is GuardDuty's and Security Hub's administrator, its GuardDuty detector is
enabled and enrols all accounts (auto-enable ALL), its hub enrols new accounts and runs the
spec's standards, every other account of the organization (the spec's and any other) is a
Security Hub member running them, and every account records with AWS Config into the log
archive.

Why it matters: A Region without a detector is where an intruder goes unseen; an account
that is not enrolled sends no findings to the security team.

Example: The detector's auto-enable switched to NONE, a Config recorder stopped, out of band;
an account that was there before Security Hub's auto-enable and never enrolled.

Fix: Run orgstack plan and apply: each Region is restored as declared.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.kind import account_of, in_account
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import desired_of

RULE = define(__name__, __doc__, id="LZ217", severity="error", doc_url=sources.SECURITY_TOOLING)
PREFIXES = ("security-service:", "config-recorder:")


def _key(address: str, names: set[str]) -> tuple[str, str, str]:
    """(kind, account, rest): the management account as ``@management`` (audit's model may
    name it as AWS does, the spec otherwise)."""
    account = account_of(address)
    return (
        address.split(":", 1)[0],
        account if account in names else "@management",
        in_account(address),
    )


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = model.sections.get("security")
    account = model.account(section["account"]) if section else None
    if section is None or account is None:
        return
    ids = {a.address: a.id for a in model.accounts if a.id}
    wanted = desired_of(model, "security-service", "config-recorder")
    names = {a.name for a in model.accounts if a.purpose != "management"}
    if model.live_resources is None:
        return  # the spec declares exactly what this rule asks; AWS may differ (audit)
    live = {_key(a, names): v for a, v in model.live_resources.items() if a.startswith(PREFIXES)}
    listed = {v["region"]: set(v["members"]) for k, v in live.items() if k[2].endswith("-members")}
    for address, value in sorted(wanted.items()):
        found = live.get(_key(address, names))
        if found is None and address.endswith("/securityhub-member"):
            member, region = account_of(address), value["region"]
            if ids.get(f"account:{member}") not in listed.get(region, set()):
                shown = f"{member} ({ids.get(f'account:{member}', '?')})"
                yield RULE.finding(
                    address,
                    f"{shown} is not a Security Hub member in {region}; it sends no findings "
                    "to the security account",
                    account.source,
                )
            continue  # a member the spec does not name: only its membership is read
        if found is None:
            yield RULE.finding(address, "missing", account.source)
            continue
        wrong = sorted(k for k, v in value.items() if found.get(k) != v and "{" not in str(v))
        if wrong:
            shown = ", ".join(f"{k} is {found.get(k)!r}, not {value[k]!r}" for k in wrong)
            yield RULE.finding(address, shown, account.source)
