"""A Transit Gateway route table routes to a segment its segment does not reach.

What it does: Flags a segment's route table (read from AWS by audit) that propagates the
attachment of an account whose segment is neither the table's own nor one it reaches, or that
associates an account of another segment: a table shared by segments, as in a full mesh with
isolation left to the spoke VPCs' route tables.

Why it matters: Isolation done only in spoke route tables is done where the account's own
administrators can undo it: the gateway's table already routes to every VPC. Only the network
account's tables decide what a segment reaches.

Example: One route table associating and propagating prod and non-prod VPCs, each VPC routing
only its own stage's ranges.

Fix: Run orgstack apply: each segment gets its own table with exactly the propagations its
reaches allow.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.kinds.network.vocabulary import ONPREM, SECTION
from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import values_of

RULE = define(__name__, __doc__, id="LZ225", severity="error", doc_url=sources.TGW_ROUTE_TABLES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = model.sections.get(SECTION)
    if not section:
        return
    members, segments = section["members"], section["segments"]
    members = {**members, ONPREM: ONPREM}
    for address, value in sorted(values_of(model, "network").items()):
        segment = value.get("segment") if "/table/" in address else None
        if segment not in segments:
            continue
        allowed = {segment, *segments[segment]["reaches"]}
        found = [
            (o, "associates") for o in value.get("associations", []) if members.get(o) != segment
        ]
        found += [
            (o, "routes to") for o in value.get("propagations", []) if members.get(o) not in allowed
        ]
        for owner, what in found:
            where = members.get(owner) or "no segment: not a network member"
            yield RULE.finding(
                address,
                f"{address}: segment {segment}'s table {what} {owner} ({where}), which "
                f"{segment} does not reach",
            )
