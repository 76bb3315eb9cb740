"""Someone besides the break-glass role could delete or overwrite log objects.

What it does: Reads the log bucket's policy and the SCPs at the root (on audit: as AWS has
them): no statement may allow a delete or a write to an account's principals (only the
CloudTrail and Config services may write), and something must deny deleting log objects to
every principal but the break-glass role, in the bucket policy or an SCP at the root.

Why it matters: A workload account's admin, or the log archive's own, must not be able to
remove the record of what they did; Object Lock keeps locked versions, but delete markers
and overwrites still hide them from whoever reads the logs.

Example: A bucket policy statement that allows s3:* to the organization's accounts.

Fix: Keep the bucket policy orgstack writes (plan and apply restore it) and the
protect-log-bucket guardrail at the root.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel, Target
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, statements
from orgstack.rules.logs import covers as _covers
from orgstack.rules.logs import log_values, logging_section, part, policy_statements
from orgstack.rules.logs import people as _people

RULE = define(__name__, __doc__, id="LZ216", severity="error", doc_url=sources.LOG_ARCHIVE)
HARMFUL = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject")
DELETE = ("s3:DeleteObject", "s3:DeleteObjectVersion")


def _denies_deletes(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Deny" or not all(
        _covers(as_list(statement.get("Action")), a) for a in DELETE
    ):
        return False
    condition = statement.get("Condition") or {}
    return set(condition) <= {"ArnNotLike", "ArnNotEquals"}  # exempts named roles only


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = logging_section(model)
    found = part(log_values(model), "bucket") if section else None
    account = model.account(section["account"]) if section else None
    if found is None or account is None:
        return
    address, bucket = found
    bucket_statements = policy_statements(bucket.get("policy"))
    for statement in bucket_statements:
        actions = as_list(statement.get("Action"))
        allowed = [a for a in HARMFUL if _covers(actions, a)]
        if statement.get("Effect") == "Allow" and _people(statement) and allowed:
            sid = statement.get("Sid") or "a statement"
            yield RULE.finding(
                address,
                f"{bucket.get('name')}: {sid} of the bucket policy allows {', '.join(allowed)} "
                "to principals of accounts",
                account.source,
            )
    scps = [s for p in model.policies_on(Target("root"), SCP) for s in statements(p)]
    if not any(_denies_deletes(s) for s in [*bucket_statements, *scps]):
        yield RULE.finding(
            address,
            f"{bucket.get('name')}: nothing denies deleting log objects to the log archive's "
            "own principals (a bucket policy Deny or an SCP at the root)",
            account.source,
        )
