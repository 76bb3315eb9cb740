"""AWS Backup in every account the ``backup:`` policy covers: the service role backup jobs run
as (trusting AWS Backup, with AWS's managed policies for backups and restores) and, per Region,
the local vault the policy's plans back up into before copying to the central vault.

Addresses: ``backup-account:<account>/role``, ``backup-account:<account>/vault/<region>``.
Set in each account through the access role. Nothing is ever deleted: a local vault may hold
the account's own backups.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    prefix="backup-account",
    summary="the backup service role and local vaults of every covered account (backup)",
    types=("role", "vault"),
    type_index=1,
    after=("backup-vault",),
    phase=75,
    group_title="Backups in the workload accounts, by account:",
    full_updates=True,
)
