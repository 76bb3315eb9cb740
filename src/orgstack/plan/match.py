"""Which live object each spec object is: by AWS id, then e-mail, path or name."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from orgstack.model import Account, OrganizationalUnit, OrgModel, Policy

ROOT = "root"


@dataclass
class Matches:
    """Spec objects paired with live ones, and the live names in the spec's words."""

    ous: dict[str, OrganizationalUnit]
    accounts: dict[str, Account]
    policies: dict[str, Policy]
    ou_path: dict[str, str] = field(default_factory=dict)
    account_name: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ou_path = {live.path: path for path, live in self.ous.items()}
        self.account_name = {live.name: name for name, live in self.accounts.items()}

    def desired_address(self, live_address: str) -> str | None:
        """A live target address in the spec's words, or None for an unmanaged object."""
        kind, _, name = live_address.partition(":")
        if kind == ROOT:
            return ROOT
        if kind == "ou":
            return f"ou:{self.ou_path[name]}" if name in self.ou_path else None
        return f"account:{self.account_name[name]}" if name in self.account_name else None


def match(desired: OrgModel, actual: OrgModel) -> Matches:
    return Matches(_ous(desired, actual), _accounts(desired, actual), _policies(desired, actual))


def _ous(desired: OrgModel, actual: OrgModel) -> dict[str, OrganizationalUnit]:
    by_id = {o.id: o for o in actual.ous if o.id}
    matched = {o.path: by_id[o.id] for o in desired.ous if o.id in by_id}
    taken = {id(o) for o in matched.values()}
    by_path = {o.path: o for o in actual.ous if id(o) not in taken}
    matched |= {
        o.path: by_path[o.path] for o in desired.ous if o.path not in matched and o.path in by_path
    }
    return matched


def _accounts(desired: OrgModel, actual: OrgModel) -> dict[str, Account]:
    live = list(actual.accounts)
    matched: dict[str, Account] = {}
    management_id = actual.organization.management_account_id

    def by_id(d: Account, a: Account) -> bool:
        return d.id is not None and d.id == a.id

    def by_management(d: Account, a: Account) -> bool:
        return d.purpose == "management" and a.id == management_id

    def by_email(d: Account, a: Account) -> bool:
        return d.email is not None and (a.email or "").lower() == d.email.lower()

    def by_name(d: Account, a: Account) -> bool:
        return d.name == a.name

    keys = (by_id, by_management, by_email, by_name)
    for same in keys:
        for wanted in desired.accounts:
            if wanted.name in matched:
                continue
            found = next((a for a in live if same(wanted, a)), None)
            if found is not None:
                matched[wanted.name] = found
                live.remove(found)
    return matched


def _policies(desired: OrgModel, actual: OrgModel) -> dict[str, Policy]:
    live = list(actual.policies)
    matched: dict[str, Policy] = {}
    for wanted in desired.policies:
        found = next((p for p in live if wanted.id and p.id == wanted.id), None) or next(
            (p for p in live if p.type == wanted.type and p.name == wanted.name), None
        )
        if found is not None:
            matched[wanted.address] = found
            live.remove(found)
    return matched


def managed_ids(desired: OrgModel, actual: OrgModel) -> set[str]:
    """Ids of the live OUs and accounts whose tags the plan needs: those the spec declares, and
    accounts that may carry orgstack's marker (every account not matched; tags are one call
    each, so an organization full of unmanaged accounts is better ignored with `unmanaged`)."""
    found = match(desired, actual)
    ids = {o.id for o in found.ous.values() if o.id}
    if desired.organization.root_tags is not None and actual.organization.root_id:
        ids.add(actual.organization.root_id)
    if desired.unmanaged == "ignore":
        return ids | {a.id for a in found.accounts.values() if a.id}
    left = [s.target for s in desired.suppressions if s.rule is None]
    return ids | {
        a.id for a in actual.accounts if a.id and not any(fnmatchcase(a.address, p) for p in left)
    }


def matched_ids(desired: OrgModel, live: OrgModel) -> dict[str, str]:
    """``account:<name>`` → live id of the spec's accounts found in AWS."""
    return {f"account:{n}": a.id for n, a in match(desired, live).accounts.items() if a.id}
