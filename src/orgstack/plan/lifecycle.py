"""The accounts' lifecycle beyond the diff: the account quota a plan's creations must fit, the
live objects no spec object matches (reported), and what happens to accounts orgstack created
that left the spec: suspended (moved to the Suspended
OU, which gets a deny-all SCP), or closed only with ``--allow-close`` and within AWS's closure
quota. Hand-made or imported accounts are never touched (only reported)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from orgstack.model import Account, OrgModel
from orgstack.plan.fingerprint import Live
from orgstack.plan.match import Matches
from orgstack.plan.model import Action, Change, Preflight, Unmanaged

ROOT = "root"
#: Set on every account orgstack creates: only such accounts are suspended when removed.
MANAGED_TAG = "orgstack:managed"
SUSPENDED_TAG = "orgstack:suspended"
SUSPENDED = "Suspended"
SUSPEND_POLICY = "orgstack-suspended-deny-all"
DENY_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "DenyEverything", "Effect": "Deny", "Action": "*", "Resource": "*"}],
}
#: The Suspended OU and its deny-all SCP as a plan creates them, by address (apply checks a
#: plan's creations of them against these too: apply/provenance.py).
SUSPENDED_PARTS: dict[str, dict[str, Any]] = {
    f"ou:{SUSPENDED}": {"name": SUSPENDED, "parent": ROOT, "tags": {}},
    f"scp:{SUSPEND_POLICY}": {
        "name": SUSPEND_POLICY,
        "type": "SERVICE_CONTROL_POLICY",
        "description": "orgstack: nothing may run in suspended accounts",
        "content": DENY_ALL,
    },
}
#: AWS lets an organization close 10 % of its member accounts per rolling 30 days, at least 10
#: and at most 1,000 (CloseAccount API reference).
CLOSE_SHARE, CLOSE_MIN, CLOSE_MAX = 0.10, 10, 1000


#: One change to add: address, action, before, after, reason, the live object it depends on.
Planned = tuple[str, Action, dict[str, Any] | None, dict[str, Any] | None, str, Live]


def capacity(
    desired: OrgModel, actual: OrgModel | None, changes: tuple[Change, ...]
) -> tuple[Preflight, ...]:
    """A warning when the accounts this plan creates pass the organization's account quota."""
    creates = sum(
        1 for c in changes if c.action == Action.CREATE and c.address.startswith("account:")
    )
    existing = len(actual.accounts) if actual else 1
    quota = desired.organization.account_quota
    if not creates or existing + creates <= quota:
        return ()
    return (
        Preflight(
            "warning",
            f"after this plan the organization has {existing + creates} accounts; "
            f"its quota is {quota}",
            "Request more (Service Quotas, L-29A0C5DF, us-east-1) before applying, then set "
            "organization.account_quota.",
        ),
    )


def unmanaged(desired: OrgModel, actual: OrgModel, matches: Matches) -> list[Unmanaged]:
    """Live objects no spec object matched, reported and left alone: not accounts orgstack
    created (those are suspended), not its own Suspended OU and deny-all SCP, not what
    ``ignore:`` entries without a rule name."""
    if desired.unmanaged == "ignore":
        return []
    left = [p for p in desired.suppressions if p.rule is None]
    found = [
        Unmanaged(o.address, o.id or "", "OU not in the spec")
        for o in actual.ous
        if o not in matches.ous.values() and o.path != SUSPENDED
    ]
    found += [
        Unmanaged(a.address, a.id or "", f"account not in the spec ({a.email})")
        for a in actual.accounts
        if a not in matches.accounts.values() and a.tags.get(MANAGED_TAG) != "true"
    ]
    found += [
        Unmanaged(p.address, p.id or "", "policy not in the spec")
        for p in actual.policies
        if p not in matches.policies.values() and not p.aws_managed and p.name != SUSPEND_POLICY
    ]
    return [u for u in found if not any(fnmatchcase(u.address, s.target) for s in left)]


def removed_accounts(actual: OrgModel, matched: set[str | None]) -> list[Account]:
    """Active accounts orgstack created (marked) that no spec account matched."""
    return [
        a
        for a in actual.accounts
        if a.id not in matched
        and a.tags.get(MANAGED_TAG) == "true"
        and a.id != actual.organization.management_account_id
        and a.status not in ("SUSPENDED", "PENDING_CLOSURE", "CLOSED")
    ]


def retire(
    desired: OrgModel,
    actual: OrgModel,
    removed: list[Account],
    allow_close: bool,
    planned: set[str],
) -> tuple[list[Planned], list[Preflight]]:
    """The changes that park (or close) ``removed``, and what to know before applying."""
    retirement = _Retirement(desired, actual, removed, allow_close, planned)
    retirement.removed_accounts()
    return retirement.found, retirement.preflight


class _Retirement:
    def __init__(
        self,
        desired: OrgModel,
        actual: OrgModel,
        removed: list[Account],
        allow_close: bool,
        planned: set[str],
    ) -> None:
        self.desired, self.actual, self.removed = desired, actual, removed
        self.allow_close, self.planned = allow_close, planned
        self.live_ous = {o.path: o for o in actual.ous}
        self.found: list[Planned] = []
        self.preflight: list[Preflight] = []

    def add(
        self,
        address: str,
        action: Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str,
        live: Live,
    ) -> None:
        self.found.append((address, action, before, after, reason, live))
        self.planned.add(address)

    def removed_accounts(self) -> None:
        """Accounts orgstack created that left the spec: suspend them (never close them unless
        allowed, and then within AWS's closure quota)."""
        todo = [a for a in self.removed if not (a.ou == SUSPENDED and a.tags.get(SUSPENDED_TAG))]
        if not todo:
            return
        members = sum(1 for a in self.actual.accounts if a.status == "ACTIVE") - 1
        # Closed accounts stay SUSPENDED for 90 days: counting them all is the safe side of
        # AWS's rolling 30-day window (the API does not say when an account was closed).
        closing = sum(
            1 for a in self.actual.accounts if a.status in ("PENDING_CLOSURE", "SUSPENDED")
        )
        quota = min(CLOSE_MAX, max(CLOSE_MIN, int(members * CLOSE_SHARE)))
        budget = max(0, quota - closing) if self.allow_close else 0
        queued = []
        if any(a.ou != SUSPENDED for a in todo):
            self.ensure_suspended_ou()
        for account in todo:
            if budget > 0:
                budget -= 1
                self.add(
                    account.address,
                    Action.CLOSE,
                    {"id": account.id, "ou": account.ou},
                    {"status": "CLOSED"},
                    "not in the spec; closing allowed (--allow-close)",
                    account,
                )
                continue
            if self.allow_close:
                queued.append(account.name)
            self.add(
                account.address,
                Action.SUSPEND,
                {"id": account.id, "ou": account.ou},
                {"ou": SUSPENDED, "tags": {SUSPENDED_TAG: "true"}},
                "created by orgstack and no longer in the spec: parked, not closed",
                account,
            )
        if queued:
            self.preflight.append(
                Preflight(
                    "warning",
                    "closure quota reached; suspended instead, to close later: "
                    + ", ".join(queued),
                    "AWS closes at most 10 % of member accounts per rolling 30 days; "
                    "plan again later.",
                )
            )

    def ensure_suspended_ou(self) -> None:
        """A Suspended OU with a deny-all SCP, created when neither spec nor AWS has one."""
        if self.desired.ou(SUSPENDED) is not None:
            return
        address = f"ou:{SUSPENDED}"
        live_ou = self.live_ous.get(SUSPENDED)
        if live_ou is None:
            self.add(
                address,
                Action.CREATE,
                None,
                dict(SUSPENDED_PARTS[address]),
                "needed to park accounts removed from the spec",
                None,
            )
        policy = next((p for p in self.actual.policies if p.name == SUSPEND_POLICY), None)
        if policy is None:
            self.add(
                f"scp:{SUSPEND_POLICY}",
                Action.CREATE,
                None,
                dict(SUSPENDED_PARTS[f"scp:{SUSPEND_POLICY}"]),
                "the Suspended OU needs a deny-all SCP",
                None,
            )
        if policy is None or not any(t.address == address for t in policy.targets):
            self.add(
                f"scp:{SUSPEND_POLICY}",
                Action.ATTACH,
                None,
                {"target": address},
                "the Suspended OU needs a deny-all SCP",
                policy,
            )
        if (
            "SERVICE_CONTROL_POLICY" not in self.actual.organization.policy_types
            and "policy-type:SERVICE_CONTROL_POLICY" not in self.planned
        ):
            self.add(
                "policy-type:SERVICE_CONTROL_POLICY",
                Action.ENABLE,
                {"status": "DISABLED"},
                {"status": "ENABLED"},
                "the Suspended OU needs an SCP",
                self.actual.organization,
            )


def management_name(desired: OrgModel) -> dict[str, str]:
    """The spec's name of the management account, whose id a new organization gives (its tags
    are set by that name right after)."""
    found = next((a for a in desired.accounts if a.purpose == "management"), None)
    return {"management_account": found.name} if found else {}
