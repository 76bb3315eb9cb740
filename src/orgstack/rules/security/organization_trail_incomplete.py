"""The organization trail is missing, stopped or records less than every account and Region.

What it does: Checks the trail the logging: section declares (on audit: as AWS has it) for an
organization trail that is logging, multi-Region, with global service events and log file
validation, writing to the log archive's bucket with its KMS key.

Why it matters: A trail of one Region or one account misses what an intruder does elsewhere;
without validation, edited log files go unnoticed; a stopped trail records nothing.

Example: A trail changed out of band to a single Region, or stopped.

Fix: Run orgstack plan and apply: the trail is restored as declared.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.logs import log_values, logging_section, part

RULE = define(__name__, __doc__, id="LZ214", severity="error", doc_url=sources.ORGANIZATION_TRAIL)
#: What each setting must be, and how a finding names it when it is not.
REQUIRED = {
    "organization": "not an organization trail",
    "multi_region": "one Region only",
    "global_events": "no global service events",
    "log_file_validation": "no log file validation",
    "logging": "stopped",
}


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    section = logging_section(model)
    management = model.management
    if section is None or management is None:
        return
    values = log_values(model)
    found = part(values, "trail")
    name = section["trail_name"]
    if found is None:
        yield RULE.at(management, f"no organization trail {name} in the management account")
        return
    address, trail = found
    wrong = [text for key, text in REQUIRED.items() if not trail.get(key)]
    bucket = part(values, "bucket")
    if bucket is not None and trail.get("bucket") != bucket[1].get("name"):
        wrong.append(f"writes to {trail.get('bucket')}, not the log archive's bucket")
    if not trail.get("kms_key"):
        wrong.append("not encrypted with the log archive's key")
    if wrong:
        yield RULE.finding(address, f"trail {name}: {'; '.join(wrong)}", management.source)
