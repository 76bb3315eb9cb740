"""The ``backup:`` section: the backup account's central vaults, what is backed up where, and
for how long (the member-account kind ``backup_accounts`` reads it too)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from orgstack.spec.fields import Region, Strict

SECTION = "backup"
DESCRIPTION = "Backups copied into a locked central vault in the backup account."
#: AWS Backup's vault names: 2-50 letters, digits, hyphens and underscores.
VAULT = r"^[a-zA-Z0-9_-]{2,50}$"
ROLE = r"^[\w+=,.@-]{1,64}$"
#: AWS Backup's schedule: a cron expression of six fields, or a rate.
SCHEDULE = r"^(cron\(\S+( \S+){5}\)|rate\(\d+ (hour|hours|day|days)\))$"
TargetText = Annotated[str, StringConstraints(pattern=r"^(ou:.+|account:.+)$")]
PlanName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,29}$")]


class LockSpec(Strict):
    """AWS Backup Vault Lock in compliance mode on every central vault."""

    min_retention_days: Annotated[
        int, Field(ge=1, le=36500, description="No recovery point goes sooner (not even by root).")
    ] = 7
    max_retention_days: Annotated[
        int, Field(ge=1, le=36500, description="No recovery point is kept longer.")
    ] = 3650
    grace_days: Annotated[
        int,
        Field(
            ge=3,
            le=36500,
            description=(
                "Days after the first apply during which the lock can still be removed; after "
                "them no one can remove it or shorten the retention (AWS's minimum is 3)."
            ),
        ),
    ] = 3


class PlanSpec(Strict):
    """One backup plan: resources tagged ``<tag_key>: <plan name>`` are backed up on the
    schedule and copied into the central vault."""

    schedule: Annotated[
        str, Field(pattern=SCHEDULE, description="cron(m h dom mon dow y) in UTC, or rate(…).")
    ]
    keep_days: Annotated[int, Field(ge=1, le=36500, description="Days the local backup is kept.")]
    copy_keep_days: Annotated[
        int,
        Field(
            ge=1,
            le=36500,
            description="Days the copy in the central vault is kept (within the lock's range).",
        ),
    ]
    copy_region: Annotated[
        Region | None,
        Field(description="The central vault's Region the copy goes to (default: the same)."),
    ] = None
    start_window_minutes: Annotated[int, Field(ge=60, le=43200)] = 60
    complete_window_minutes: Annotated[int, Field(ge=120, le=144000)] = 10080


class BackupSpec(Strict):
    """The backup account and the organization's backup policy."""

    targets: Annotated[
        list[TargetText],
        Field(
            min_length=1,
            description="The OUs (ou:<path>, with what is below) and accounts the policy covers.",
        ),
    ]
    plans: Annotated[
        dict[PlanName, PlanSpec], Field(min_length=1, description="Backup plans by tag value.")
    ]
    account: Annotated[
        str | None,
        Field(description="The backup account; default: the one whose purpose is backup."),
    ] = None
    regions: Annotated[
        list[Region] | None,
        Field(description="Where central vaults and plans are (default: allowed Regions)."),
    ] = None
    tag_key: Annotated[
        str, Field(pattern=r"^[\w.:/=+@-]{1,128}$", description="The tag that selects plans.")
    ] = "backup"
    vault: Annotated[str, Field(pattern=VAULT, description="The central vault's name.")] = (
        "orgstack-central"
    )
    local_vault: Annotated[
        str, Field(pattern=VAULT, description="Each account's own vault's name.")
    ] = "orgstack-local"
    service_role: Annotated[
        str, Field(pattern=ROLE, description="The role backup jobs run as, in each account.")
    ] = "OrgstackBackup"
    break_glass_role: Annotated[
        str,
        Field(pattern=ROLE, description="The only role the vault policy lets delete copies."),
    ] = "OrgstackBreakGlass"
    key_alias: Annotated[
        str, Field(pattern=r"^[a-zA-Z0-9/_-]{1,250}$", description="The central vaults' key.")
    ] = "orgstack-backup"
    source_key_alias: Annotated[
        str,
        Field(
            pattern=r"^[a-zA-Z0-9/_-]{1,250}$",
            description=(
                "Each covered account's key (per Region) for resources whose backups keep their "
                "own encryption (EBS, EC2, RDS, Aurora, DocumentDB, Neptune): AWS copies those "
                "into another account only when a customer managed key shared with it encrypts "
                "them; this key is shared with the backup account."
            ),
        ),
    ] = "orgstack-backup-source"
    lock: LockSpec = LockSpec()
    policy: Annotated[
        str,
        Field(
            pattern=r"^[\w+=,.@ -]{1,128}$", description="The organization backup policy's name."
        ),
    ] = "orgstack-backup-plans"


Schema = BackupSpec
