"""An account the backup policy covers lacks what its backup jobs need.

What it does: On audit, reads every account the organization backup policy covers — the
spec's, and any other account AWS has below a targeted OU (the policy reaches it too) — and
names those without the service role the policy's jobs run as or without their local vault in
a Region of backup:.

Why it matters: The policy creates backup plans in every covered account, but their jobs run
as the service role into the local vault; where either is missing every job fails, and
nothing reaches the central vault. An account made by hand in a workload OU is the usual case.

Example: An account created in the console and moved into Workloads, outside orgstack.yaml.

Fix: Declare the account in orgstack.yaml (plan and apply give it the role and vaults), or
move it out of the targeted OU.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.kind import account_of
from orgstack.rules import sources
from orgstack.rules.backups import inspections
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ220", severity="error", doc_url=sources.BACKUP_POLICIES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for address, value, section, source in inspections(model):
        where = "" if value.get("in_spec") else ", not in the spec,"
        missing = [] if value.get("role") else [f"the role {section['service_role']}"]
        if value.get("vaults_missing"):
            regions = ", ".join(value["vaults_missing"])
            missing.append(f"the vault {section['local_vault']} in {regions}")
        if missing:
            yield RULE.finding(
                address,
                f"{account_of(address)} ({value.get('account_id')}){where} is covered by the "
                f"backup policy but lacks {' and '.join(missing)}: its backup jobs fail",
                source,
            )
