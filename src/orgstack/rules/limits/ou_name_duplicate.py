"""Two OUs with the same name sit under one parent.

What it does: Compares the names of the OUs under each parent.

Why it matters: Organizations refuses a second OU of the same name under one parent
(DuplicateOrganizationalUnitException), and orgstack addresses OUs by path, so two would be
indistinguishable. The spec cannot declare this; models read from AWS or built in code can.

Example: two OUs named Prod under Workloads.

Fix: Rename or merge one of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ015", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    seen: set[str] = set()
    for ou in model.ous:
        if ou.path in seen:
            yield RULE.at(ou, f"OU {ou.path} is declared twice under {ou.parent_path}")
        seen.add(ou.path)
