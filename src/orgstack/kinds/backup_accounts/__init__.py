"""AWS Backup in every account the ``backup:`` policy covers: the service role backup jobs run
as (trusting AWS Backup, with AWS's managed policies for backups and restores) and, per Region,
the local vault the policy's plans back up into before copying to the central vault, and the
source key: resources whose backups keep their own encryption (EBS, EC2, RDS, Aurora,
DocumentDB, Neptune) copy into the backup account only when a customer managed key shared
with it encrypts them, never with AWS's own keys (``aws/ebs``, ``aws/rds``).

Addresses: ``backup-account:<account>/role``, ``backup-account:<account>/key/<region>``,
``backup-account:<account>/vault/<region>``. Set in each account through the access role.
Nothing is ever deleted: a local vault may hold the account's own backups, a key encrypts
its data.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    sections=("backup",),
    prefix="backup-account",
    summary="the backup role, source keys and local vaults of every covered account (backup)",
    types=("role", "key", "vault"),
    type_index=1,
    after=("backup-vault",),
    phase=75,
    group_title="Backups in the workload accounts, by account:",
    full_updates=True,
)
