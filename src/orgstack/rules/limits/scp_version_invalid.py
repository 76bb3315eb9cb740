"""An SCP lacks "Version": "2012-10-17" or a Statement.

What it does: Checks the top level of every service control policy: a Version of 2012-10-17,
a Statement (an object or a non-empty list), and no other keys besides Id.

Why it matters: AWS rejects an SCP without a valid version or statement at upload time, after
the plan was reviewed; some older IAM features need the 2012-10-17 version to work.

Example: {"Version": "2008-10-17", "Statement": [...]} or a policy with "Statements".

Fix: Start every SCP with "Version": "2012-10-17" and put its statements under "Statement".
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, document

TOP_KEYS = {"Version", "Statement", "Id"}

RULE = define(__name__, __doc__, id="LZ005", severity="error", doc_url=sources.SCP_SYNTAX)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type != SCP:
            continue
        doc = document(policy)
        version = doc.get("Version")
        if version != "2012-10-17":
            got = "no Version" if version is None else f"Version {version!r}"
            yield RULE.at(policy, f'SCP {policy.name} has {got}; it needs "2012-10-17"')
        statement = doc.get("Statement")
        if not isinstance(statement, dict) and not (isinstance(statement, list) and statement):
            yield RULE.at(policy, f"SCP {policy.name} has no Statement (an object or a list)")
        for key in sorted(set(doc) - TOP_KEYS):
            yield RULE.at(
                policy,
                f"SCP {policy.name} has unknown top-level key {key!r}; "
                "allowed: Version, Statement, Id",
            )
