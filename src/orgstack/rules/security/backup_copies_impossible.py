"""A resource tagged for backup cannot be copied into the backup account.

What it does: On audit, reads every resource tagged for a backup plan in every covered
account and Region whose backups keep the resource's own encryption (EBS volumes, EC2
instances, RDS instances and clusters: Aurora, DocumentDB and Neptune too), and names those
encrypted with an AWS managed key (aws/ebs, aws/rds) or with a customer managed key whose
policy does not share it with the backup account.

Why it matters: AWS copies such a backup into another account only when its key is customer
managed and shared with that account; every copy job of the resource fails, so a compromised
workload account leaves no copy behind, while the local backups look fine.

Example: An EBS volume tagged backup: daily, encrypted with the account's default key aws/ebs.

Fix: Encrypt the resource with the account's source key (alias/orgstack-backup-source, shared
with the backup account): copy a snapshot with it and restore from that, or set it as the
account's EBS default key for new volumes.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.backups import inspections
from orgstack.rules.base import Finding, define

RULE = define(
    __name__, __doc__, id="LZ219", severity="error", doc_url=sources.BACKUP_COPY_ENCRYPTION
)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for address, value, _, source in inspections(model):
        for stuck in value.get("unshareable", []):
            yield RULE.finding(
                address,
                f"{stuck['resource']} ({stuck['region']}) cannot be copied to the backup "
                f"account: {stuck['why']} ({stuck['key']})",
                source,
            )
