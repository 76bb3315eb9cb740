"""A Transit Gateway joins new attachments to its default route table.

What it does: Flags a Transit Gateway orgstack manages whose default route table association
or propagation is on (read from AWS by audit; in the spec orgstack always turns both off).

Why it matters: With the default table on, every new attachment is associated with and
propagated into one table: every VPC reaches every other, prod and non-prod included, until
someone moves it. Segments hold only when no attachment lands anywhere by default.

Example: A gateway created in the console with the defaults, then imported.

Fix: Run orgstack apply: it turns both off (ModifyTransitGateway) and associates every
attachment with its segment's table.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.addresses import in_account
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import values_of

RULE = define(__name__, __doc__, id="LZ223", severity="error", doc_url=sources.TGW_DESIGN)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for address, value in sorted(values_of(model, "network").items()):
        if not in_account(address).endswith("/gateway"):
            continue
        on = [k for k in ("default_association", "default_propagation") if value.get(k)]
        if on:
            yield RULE.finding(
                address,
                f"{address}: {' and '.join(k.replace('_', ' ') for k in on)} on: every new "
                "attachment joins the default route table and reaches every other",
            )
