"""The log archive account holds no logs: the spec declares no organization trail.

What it does: Looks for an account with purpose log-archive while the spec has no logging:
section (the organization trail and the locked log bucket).

Why it matters: The account exists so that no workload account can erase the record of what
happened; without a trail writing into a locked bucket there, it is only a label.

Example: A spec with a log-archive account and no logging: section.

Fix: Add logging: (orgstack init writes one in the standard and enterprise blueprints): the
trail, a KMS key and a bucket with S3 Object Lock in compliance mode.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.logs import logging_section

RULE = define(__name__, __doc__, id="LZ117", severity="warning", doc_url=sources.LOG_ARCHIVE)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if logging_section(model) is not None:
        return
    for account in model.accounts:
        if account.purpose == "log-archive":
            yield RULE.at(
                account,
                f"account {account.name} (log-archive) holds no logs: no logging: section "
                "declares the organization trail and the locked bucket",
            )
