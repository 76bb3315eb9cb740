"""A VPC attachment is in no segment's route table.

What it does: Flags an account's Transit Gateway attachment (orgstack's) that no segment table
of the gateway associates (read from AWS by audit; the spec always associates each).

Why it matters: An attachment without an association routes nothing today, but it is one
association away from any table, and whoever associates it chooses what the VPC reaches; each
attachment belongs in exactly its segment's table.

Example: An attachment accepted by hand, or one whose association was removed.

Fix: Run orgstack apply: it associates the attachment with its segment's table.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.addresses import account_of, in_account
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import values_of

RULE = define(__name__, __doc__, id="LZ224", severity="error", doc_url=sources.TGW_ROUTE_TABLES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    values = values_of(model, "network")
    associated: set[tuple[str, str]] = set()
    for address, value in values.items():
        if "/table/" in in_account(address):
            associated |= {(value["region"], owner) for owner in value.get("associations", [])}
    for address, value in sorted(values.items()):
        if not in_account(address).endswith("/attachment") or not value.get("accepted"):
            continue
        if (value["region"], account_of(address)) not in associated:
            yield RULE.finding(
                address,
                f"{address}: attached to the Transit Gateway but in no segment's route table "
                f"(segment {value.get('segment')})",
            )
