"""The log bucket can lose or leak logs: no compliance-mode lock, versioning, KMS, TLS or
public access block as declared.

What it does: Checks the log bucket the logging: section declares (on audit: as AWS has it):
versioning on, S3 Object Lock in compliance mode for at least retention_days, default
encryption with KMS, every public access block setting on, a policy that denies requests
without TLS, and access logging.

Why it matters: Object Lock in compliance mode is what makes the archive tamper-proof: not
even the root user can delete a locked version before its retention ends; the other settings
keep logs from being read or changed by anyone the organization did not mean.

Example: The lock shortened or switched to governance mode out of band.

Fix: Run orgstack plan and apply: the bucket is restored as declared (a lock can be
lengthened, never removed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.logs import log_values, logging_section, part, policy_statements

RULE = define(__name__, __doc__, id="LZ215", severity="error", doc_url=sources.OBJECT_LOCK)


def _tls_only(policy: dict[str, Any] | None) -> bool:
    for statement in policy_statements(policy):
        secure = (statement.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")
        if statement.get("Effect") == "Deny" and as_list(secure) == ["false"]:
            return True
    return False


def problems(bucket: dict[str, Any], retention: int) -> list[str]:
    wrong = []
    lock = bucket.get("object_lock") or {}
    if lock.get("mode") != "COMPLIANCE" or (lock.get("days") or 0) < retention:
        wrong.append(
            f"Object Lock is {lock.get('mode', 'off').lower()} {lock.get('days') or 0} days, "
            f"not compliance {retention} days"
        )
    if bucket.get("versioning") != "Enabled":
        wrong.append("versioning is off")
    if (bucket.get("encryption") or {}).get("algorithm") != "aws:kms":
        wrong.append("not encrypted with KMS")
    if not all((bucket.get("public_access_block") or {}).values()) or not bucket.get(
        "public_access_block"
    ):
        wrong.append("public access is not fully blocked")
    if not _tls_only(bucket.get("policy")):
        wrong.append("the policy does not deny requests without TLS")
    if not bucket.get("logging"):
        wrong.append("access logging is off")
    return wrong


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = logging_section(model)
    account = model.account(section["account"]) if section else None
    if section is None or account is None:
        return
    found = part(log_values(model), "bucket")
    if found is None:
        yield RULE.at(account, f"no log bucket in account {account.name}")
        return
    address, bucket = found
    wrong = problems(bucket, section["retention_days"])
    if wrong:
        yield RULE.finding(address, f"{bucket.get('name')}: {'; '.join(wrong)}", account.source)
