"""``backup status``: whether every covered account's backups reach the central vault.

Per account the organization's backup policy covers — the spec's, and any other account AWS
finds below a targeted OU (it gets the policy too) — whether it has what the policy's jobs need
(the service role, a local vault in each Region), how many resources carry the backup tag and
which of them no copy can leave with (their backups keep an AWS managed key or a key not
shared with the backup account), the newest recovery point copied from it into the central
vault (and its age), and the backup and copy jobs that failed in the window. Read through the
access role (``kinds/backup_vault/read.py``, ``kinds/backup_accounts/read.py``): the central
vaults in the backup account, everything else in each covered account, concurrently.

``inspect`` is the per-account part, shared with ``audit`` (rules LZ219 and LZ220).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgstack.errors import OrgstackError
from orgstack.model import OrgModel, Target, paths
from orgstack.model.backup import SECTION
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.aws.members import AccountClients

#: An account's status: its copies are fine, or what needs someone's attention.
OK, NO_COPY, FAILED, UNTAGGED, MISSING = "ok", "no-copy", "copy-failed", "nothing-tagged", "absent"
NOT_READY, BACKUP_FAILED, STUCK = "not-ready", "backup-failed", "copy-impossible"
ATTENTION = (NO_COPY, FAILED, MISSING, NOT_READY, BACKUP_FAILED, STUCK)
#: The address prefix of what ``inspect`` found, as audit hands it to the rules.
INSPECTED = "backup-inspection"


@dataclass(frozen=True)
class AccountBackups:
    """What one covered account's backups look like from the central vault."""

    account: str
    account_id: str | None
    in_spec: bool = True
    role: bool = True
    vaults_missing: list[str] = field(default_factory=list)
    tagged_resources: int = 0
    unshareable: list[dict[str, str]] = field(default_factory=list)
    newest_copy: str | None = None
    newest_copy_age_hours: float | None = None
    copies_in_window: int = 0
    failed_backup_jobs: list[dict[str, Any]] = field(default_factory=list)
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


@dataclass
class Inspection:
    """One covered account as AWS has it, for its backups (all Regions)."""

    role: bool = False
    vaults_missing: list[str] = field(default_factory=list)
    tagged: int = 0
    unshareable: list[dict[str, str]] = field(default_factory=list)
    failed_backups: list[dict[str, Any]] = field(default_factory=list)
    failed_copies: list[dict[str, Any]] = field(default_factory=list)


def covered_accounts(
    section: dict[str, Any], desired: OrgModel, live: OrgModel, ids: dict[str, str]
) -> dict[str, tuple[str | None, bool]]:
    """Name → (id, declared in the spec) of every account the backup policy covers: the spec's
    (by its targets) and every other active account AWS has below a targeted OU or named by a
    targeted account's id (the policy applies to it whatever the spec says)."""
    found: dict[str, tuple[str | None, bool]] = {
        name: (ids.get(f"account:{name}"), True) for name in section["accounts"]
    }
    known = {account_id for account_id, _ in found.values() if account_id}
    spec_ids = {ids.get(f"account:{a.name}") for a in desired.accounts}
    targets = [Target.parse(t) for t in section["targets"]]
    for account in live.accounts:
        if not account.id or account.id in known or account.id in spec_ids:
            continue
        if account.status not in (None, "ACTIVE"):
            continue
        if any(t.kind == "ou" and paths.within(account.ou, t.name) for t in targets):
            found[account.name] = (account.id, False)
    return found


def inspect(
    aws: AwsContext,
    clients: AccountClients,
    section: dict[str, Any],
    covered: dict[str, str],
    backup_id: str,
    since: datetime,
) -> dict[str, Inspection]:
    """Name → what each covered account (name → id) has for its backups, read concurrently."""
    from orgstack.kinds.backup_accounts.probes import role_exists, unshareable, vault_exists
    from orgstack.kinds.backup_vault.probes import tagged_and_failed

    regions = list(section["regions"])

    def region(account_id: str, where: str) -> tuple[bool, list[str], Any, list[dict[str, str]]]:
        vault = vault_exists(aws, clients, account_id, where, section["local_vault"])
        tagged, copies, backups = tagged_and_failed(
            aws, clients, account_id, where, section["tag_key"], since
        )
        stuck = unshareable(aws, clients, account_id, where, tagged, backup_id)
        return vault, tagged, (copies, backups), stuck

    found = {name: Inspection() for name in covered}
    with ThreadPoolExecutor(max_workers=aws.options.max_workers) as pool:
        roles = {
            name: pool.submit(role_exists, aws, clients, account_id, section["service_role"])
            for name, account_id in covered.items()
        }
        parts: dict[tuple[str, str], Any] = {
            (name, where): pool.submit(region, account_id, where)
            for name, account_id in covered.items()
            for where in regions
        }
        for name, future in roles.items():
            found[name].role = future.result()
        for (name, where), future in parts.items():
            vault, tagged, (copies, backups), stuck = future.result()
            if not vault:
                found[name].vaults_missing.append(where)
            found[name].tagged += len(tagged)
            found[name].unshareable += [{**s, "region": where} for s in stuck]
            found[name].failed_copies += copies
            found[name].failed_backups += backups
    return found


def _judge(
    name: str,
    account_id: str | None,
    in_spec: bool,
    seen: Inspection | None,
    copies: list[datetime],
    since: datetime,
    now: datetime,
) -> AccountBackups:
    if account_id is None or seen is None:
        return AccountBackups(name, None, in_spec, status=MISSING)
    newest = max(copies) if copies else None
    recent = [c for c in copies if c >= since]
    status = (
        NOT_READY
        if not seen.role or seen.vaults_missing
        else BACKUP_FAILED
        if seen.failed_backups
        else FAILED
        if seen.failed_copies
        else STUCK
        if seen.unshareable
        else NO_COPY
        if seen.tagged and not recent
        else OK
        if seen.tagged or copies
        else UNTAGGED
    )
    return AccountBackups(
        name,
        account_id,
        in_spec,
        seen.role,
        seen.vaults_missing,
        seen.tagged,
        seen.unshareable,
        newest.isoformat() if newest else None,
        round((now - newest).total_seconds() / 3600, 1) if newest else None,
        len(recent),
        seen.failed_backups,
        seen.failed_copies,
        status,
    )


def _section(desired: OrgModel) -> dict[str, Any]:
    section: dict[str, Any] | None = desired.sections.get(SECTION)
    if not section:
        raise OrgstackError(
            "the spec has no backup: section; there is no central vault to report on",
            "Add backup: (see docs/backup.md), plan and apply.",
        )
    return section


def backup_status(
    spec_path: str | Path | None,
    options: AwsOptions,
    hours: float = 24.0,
    *,
    context: AwsContext | None = None,
) -> tuple[BackupStatus, AwsContext]:
    """Every covered account's copies in the central vault, what its jobs need, and failed
    jobs, over the last ``hours``."""
    from orgstack.aws.context import AwsContext
    from orgstack.aws.members import AccountClients
    from orgstack.flows.planning import read_live
    from orgstack.kinds.backup_vault.probes import central_copies
    from orgstack.plan.match import matched_ids

    desired = load_spec(spec_path)
    section = _section(desired)
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
    covered = covered_accounts(section, desired, live, ids)
    present = {name: account_id for name, (account_id, _) in covered.items() if account_id}
    regions = list(section["regions"])
    with ThreadPoolExecutor(max_workers=aws.options.max_workers) as pool:
        central = [
            pool.submit(central_copies, aws, clients, backup_id, section["vault"], r)
            for r in regions
        ]
        seen = inspect(aws, clients, section, present, backup_id, since)
        copies: dict[str, list[datetime]] = {}
        for future in central:
            for source, times in future.result().items():
                copies.setdefault(source, []).extend(times)
    accounts = [
        _judge(
            name, account_id, in_spec, seen.get(name), copies.get(account_id or "", []), since, now
        )
        for name, (account_id, in_spec) in covered.items()
    ]
    status = BackupStatus(section["account"], section["vault"], regions, hours, accounts)
    return status, aws


def inspected_resources(
    desired: OrgModel, live: OrgModel, ids: dict[str, str], aws: AwsContext
) -> dict[str, dict[str, Any]]:
    """What audit hands the rules: per covered account, ``backup-inspection:<account>``
    with whether it is the spec's, its role, the Regions without a vault and the resources no
    copy can leave with (none when the spec has no backup section or no backup account)."""
    from orgstack.aws.members import AccountClients
    from orgstack.model.kind import resource_address

    section = desired.sections.get(SECTION)
    backup_id = ids.get(f"account:{section['account']}") if section else None
    if not section or backup_id is None:
        return {}
    clients = AccountClients(aws, aws.caller_account(), desired.organization.access_role)
    covered = covered_accounts(section, desired, live, ids)
    present = {name: account_id for name, (account_id, _) in covered.items() if account_id}
    seen = inspect(aws, clients, section, present, backup_id, datetime.now(UTC))
    return {
        resource_address(INSPECTED, name): {
            "account_id": present[name],
            "in_spec": covered[name][1],
            "role": found.role,
            "vaults_missing": sorted(found.vaults_missing),
            "unshareable": found.unshareable,
        }
        for name, found in seen.items()
    }
