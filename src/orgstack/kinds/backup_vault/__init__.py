"""The backup account's central vaults (``backup:``): per Region, a KMS key the organization's
accounts may copy with, and a vault locked in compliance mode (AWS Backup Vault Lock) whose
access policy takes copies from the organization only and denies deleting or shortening its
recovery points to all but the break-glass role; and, in the management account, AWS Backup's
cross-account backup turned on, which copies into another account need.

Addresses: ``backup-vault:<management>/<region>/settings``, ``backup-vault:<backup>/<region>/key``,
``backup-vault:<backup>/<region>/vault``. Nothing is ever deleted: a vault holds the copies.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    prefix="backup-vault",
    summary="the backup account's locked central vaults and cross-account backup (backup)",
    types=("settings", "key", "vault"),
    type_index=2,
    after=("trusted-access",),
    phase=35,
    group_title="Central backup vaults, by account:",
    full_updates=True,
)
