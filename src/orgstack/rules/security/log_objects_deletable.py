"""Someone besides the break-glass role could delete or overwrite log objects.

What it does: Reads the policies of the log bucket and of AWS Config's bucket and the SCPs
at the root (on audit: as AWS has them): no statement may allow a delete or a write to an
account's principals (only the CloudTrail and Config services may write), and something must
deny deleting objects of each bucket to every principal but the break-glass role, in the
bucket's policy or an SCP at the root.

Why it matters: A workload account's admin, or the log archive's own, must not be able to
remove the record of what they did; Object Lock keeps locked versions, but delete markers
and overwrites still hide them from whoever reads the logs, and Config's bucket has no Object
Lock (AWS Config cannot deliver into a locked bucket).

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
from orgstack.rules.logs import covers, denies_deletes, log_values, logging_section, part, people
from orgstack.rules.logs import policy_statements as of

RULE = define(__name__, __doc__, id="LZ216", severity="error", doc_url=sources.LOG_ARCHIVE)
HARMFUL = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject")


def _findings(
    where: str, bucket: dict[str, Any], scps: list[Any], source: Any
) -> Iterator[Finding]:
    name = str(bucket.get("name") or "")
    for statement in of(bucket.get("policy")):
        allowed = [a for a in HARMFUL if covers(as_list(statement.get("Action")), a)]
        if statement.get("Effect") == "Allow" and people(statement) and allowed:
            sid = statement.get("Sid") or "a statement"
            yield RULE.finding(
                where,
                f"{name}: {sid} of the bucket policy allows {', '.join(allowed)} "
                "to principals of accounts",
                source,
            )
    if not any(denies_deletes(s) for s in of(bucket.get("policy"))) and not any(
        denies_deletes(s, name) for s in scps
    ):
        yield RULE.finding(
            where,
            f"{name}: nothing denies deleting log objects to the log archive's own principals "
            "(a bucket policy Deny or an SCP at the root)",
            source,
        )


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = logging_section(model)
    account = model.account(section["account"]) if section else None
    if section is None or account is None:
        return
    values = log_values(model)
    scps = [s for p in model.policies_on(Target("root"), SCP) for s in statements(p)]
    for kind in ("bucket", "config-bucket"):
        if (found := part(values, kind)) is not None:
            yield from _findings(found[0], found[1], scps, account.source)
