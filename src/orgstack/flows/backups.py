"""``backup status``: whether every covered account's backups reach the central vault.

Per account of ``backup:``'s targets: how many resources carry the backup tag, the newest
recovery point copied from it into the central vault (and its age), and the copy jobs that
failed in the window. Read through the access role (``kinds/backup_vault/read.py``): the central
vaults in the backup account, the tags and copy jobs in each covered account, concurrently.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack.errors import OrgstackError
from orgstack.kinds.backup_vault.read import central_copies, tagged_and_failed
from orgstack.model.backup import SECTION
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions

#: An account's status: its copies are fine, or what needs someone's attention.
OK, NO_COPY, FAILED, UNTAGGED, MISSING = "ok", "no-copy", "copy-failed", "nothing-tagged", "absent"
ATTENTION = (NO_COPY, FAILED, MISSING)


@dataclass(frozen=True)
class AccountBackups:
    """What one covered account's backups look like from the central vault."""

    account: str
    account_id: str | None
    tagged_resources: int = 0
    newest_copy: str | None = None
    newest_copy_age_hours: float | None = None
    copies_in_window: int = 0
    failed_copy_jobs: list[dict[str, Any]] = field(default_factory=list)
    status: str = OK


@dataclass(frozen=True)
class BackupStatus:
    backup_account: str
    vault: str
    regions: list[str]
    window_hours: float
    accounts: list[AccountBackups]

    @property
    def attention(self) -> list[AccountBackups]:
        return [a for a in self.accounts if a.status in ATTENTION]

    def to_json(self) -> dict[str, Any]:
        return {
            "backup_account": self.backup_account,
            "vault": self.vault,
            "regions": self.regions,
            "window_hours": self.window_hours,
            "ok": not self.attention,
            "accounts": [asdict(a) for a in self.accounts],
        }


def _judge(
    name: str,
    account_id: str | None,
    tagged: int,
    copies: list[datetime],
    failed: list[dict[str, Any]],
    since: datetime,
    now: datetime,
) -> AccountBackups:
    if account_id is None:
        return AccountBackups(name, None, status=MISSING)
    newest = max(copies) if copies else None
    recent = [c for c in copies if c >= since]
    status = (
        FAILED
        if failed
        else NO_COPY
        if tagged and not recent
        else OK
        if tagged or copies
        else UNTAGGED
    )
    return AccountBackups(
        name,
        account_id,
        tagged,
        newest.isoformat() if newest else None,
        round((now - newest).total_seconds() / 3600, 1) if newest else None,
        len(recent),
        failed,
        status,
    )


def backup_status(
    spec_path: str | Path | None,
    options: AwsOptions,
    hours: float = 24.0,
    *,
    context: AwsContext | None = None,
) -> tuple[BackupStatus, AwsContext]:
    """Every covered account's copies in the central vault, and failed copy jobs, over the
    last ``hours``."""
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients
    from orgstack.flows.planning import read_live
    from orgstack.plan.match import matched_ids

    desired = load_spec(spec_path)
    section = desired.sections.get(SECTION)
    if not section:
        raise OrgstackError(
            "the spec has no backup: section; there is no central vault to report on",
            "Add backup: (see docs/backup.md), plan and apply.",
        )
    aws = context or AwsContext(options)
    live, aws = read_live(desired, options, aws)
    ids = matched_ids(desired, live) if live is not None else {}
    backup_id = ids.get(f"account:{section['account']}")
    if live is None or backup_id is None:
        raise OrgstackError(
            f"the backup account {section['account']} does not exist yet",
            "Plan and apply the spec first.",
        )
    clients = AccountClients(aws, aws.caller_account(), desired.organization.access_role)
    now = datetime.now(UTC)
    since = now - timedelta(hours=hours)
    covered = {name: ids.get(f"account:{name}") for name in section["accounts"]}
    regions = list(section["regions"])
    with ThreadPoolExecutor(max_workers=aws.options.max_workers) as pool:
        central = [
            pool.submit(central_copies, aws, clients, backup_id, section["vault"], r)
            for r in regions
        ]
        members = {
            (name, region): pool.submit(
                tagged_and_failed, aws, clients, account_id, region, section["tag_key"], since
            )
            for name, account_id in covered.items()
            if account_id is not None
            for region in regions
        }
        copies: dict[str, list[datetime]] = {}
        for future in central:
            for source, times in future.result().items():
                copies.setdefault(source, []).extend(times)
        results = {key: future.result() for key, future in members.items()}
    accounts = []
    for name, account_id in covered.items():
        found = [results[(name, r)] for r in regions if (name, r) in results]
        accounts.append(
            _judge(
                name,
                account_id,
                sum(t for t, _ in found),
                copies.get(account_id or "", []),
                [job for _, jobs in found for job in jobs],
                since,
                now,
            )
        )
    status = BackupStatus(section["account"], section["vault"], regions, hours, accounts)
    return status, aws
