"""Someone besides the break-glass role could delete, overwrite, copy out or unlock the logs.

What it does: Reads the policies of the log bucket and of AWS Config's bucket, the archive
key's policy and the SCPs at the root (on audit: as AWS has them): no statement may allow a
delete or a write to an account's principals (only the CloudTrail and Config services may
write); something must deny deleting objects of each bucket, replicating the log bucket or
taking its ownership to every principal but the break-glass role (in the bucket's policy or
an SCP at the root); the key's policy must deny deleting, disabling or rewriting it to all but
the break-glass role; and an SCP at the root must deny making or re-trusting the break-glass
role to all but orgstack's access role.

Why it matters: A workload account's admin, or the log archive's own, must not be able to
remove the record of what they did; Object Lock keeps locked versions, but delete markers
and overwrites still hide them from whoever reads the logs, and Config's bucket has no Object
Lock (AWS Config cannot deliver into a locked bucket).

Example: A bucket policy statement that allows s3:* to the organization's accounts.

Fix: Keep the bucket and key policies orgstack writes (plan and apply restore them), and the
protect-log-bucket and protect-break-glass-role guardrails at the root.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Target
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.guards import archive_gaps
from orgstack.rules.helpers import SCP, statements
from orgstack.rules.logs import log_values, logging_section

RULE = define(__name__, __doc__, id="LZ216", severity="error", doc_url=sources.LOG_ARCHIVE)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = logging_section(model)
    account = model.account(section["account"]) if section else None
    if section is None or account is None:
        return
    scps = [s for p in model.policies_on(Target("root"), SCP) for s in statements(p)]
    values = log_values(model)
    access = model.organization.access_role
    for where, message in archive_gaps(values, scps, section["break_glass_role"], access):
        yield RULE.finding(where or account.address, message, account.source)
