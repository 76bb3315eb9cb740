"""The organization's diff (its kind's ``diff`` hook): the ordered changes that make the live
organization match the spec.

Objects are matched by their AWS id when the spec records one (import writes them), else by
e-mail (accounts), path (OUs) or name. Live objects the spec does not declare are reported as
unmanaged and never changed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from orgstack.kinds.organization.desired import desired as wanted_values
from orgstack.model import (
    MANAGED_POLICY_TYPES,
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    Root,
)
from orgstack.plan import lifecycle
from orgstack.plan.fingerprint import Live, fingerprint, observed
from orgstack.plan.match import match
from orgstack.plan.model import Action, Change, Plan, Preflight
from orgstack.plan.renames import likely_renames

ROOT = "root"
MARKER_PREFIX = "orgstack:"


class _Differ:
    def __init__(
        self, desired: OrgModel, actual: OrgModel | None, allow_close: bool = False
    ) -> None:
        self.allow_close = allow_close
        self.desired = desired
        self.actual = actual or OrgModel(Organization("", "", (), None))
        self.exists = actual is not None
        self.changes: list[Change] = []
        self.preflight: list[Preflight] = []
        self.matches = match(desired, self.actual)
        self.ous = self.matches.ous
        self.accounts = self.matches.accounts
        self.policies = self.matches.policies
        self.ou_path = self.matches.ou_path
        self.live_ous = {o.path: o for o in self.actual.ous}
        self.removed = lifecycle.removed_accounts(
            self.actual, {a.id for a in self.accounts.values()}
        )
        #: Each object's value as the plan creates it (policies naming accounts by their ids).
        self.wanted = wanted_values(desired, self.ids())

    def add(
        self,
        address: str,
        action: Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str,
        live: Live,
    ) -> None:
        self.changes.append(
            Change(
                address,
                action,
                before,
                after,
                reason,
                fingerprint(live, address),
                observed(live, address),
            )
        )

    # changes ---------------------------------------------------------------------------------
    def run(self) -> Plan:
        self.organization()
        for ou in sorted(self.desired.ous, key=lambda o: o.depth):
            self.ou(ou)
        for policy in self.desired.policies:
            self.policy(policy)
        for account in self.desired.accounts:
            self.account(account)
        for policy in self.desired.policies:
            self.attachments(policy)
        self.removed_accounts()
        order = [
            Action.CREATE,
            Action.ENABLE,
            Action.UPDATE,
            Action.MOVE,
            Action.TAG,
            Action.UNTAG,
            Action.ATTACH,
            Action.DETACH,
            Action.SUSPEND,
            Action.CLOSE,
        ]
        kinds = [
            "organization",
            ROOT,
            "policy-type",
            "ou",
            *(t.address_prefix for t in MANAGED_POLICY_TYPES),
            "account",
        ]
        self.changes.sort(key=lambda c: _phase(c, kinds, order))
        return Plan(
            tuple(self.changes),
            tuple(lifecycle.unmanaged(self.desired, self.actual, self.matches)),
            tuple(self.preflight),
            self.actual.organization.id,
            self.ids(),
        )

    def ids(self) -> dict[str, str]:
        """Live ids by the spec's address: what apply acts on, never re-derived."""
        found = {"root": self.actual.organization.root_id or ""}
        found |= {f"ou:{path}": o.id for path, o in self.ous.items() if o.id}
        found |= {f"account:{name}": a.id for name, a in self.accounts.items() if a.id}
        found |= {address: p.id for address, p in self.policies.items() if p.id}
        found |= {a.address: a.id for a in self.removed if a.id}
        if lifecycle.SUSPENDED in self.live_ous:
            found[f"ou:{lifecycle.SUSPENDED}"] = self.live_ous[lifecycle.SUSPENDED].id or ""
        return {k: v for k, v in found.items() if v}

    def organization(self) -> None:
        live = self.actual.organization
        if not self.exists:
            self.add(
                "organization",
                Action.CREATE,
                None,
                self.wanted["organization"],
                "this account is in no organization yet; it becomes the management account",
                None,
            )
        elif live.feature_set != "ALL":
            self.preflight.append(
                Preflight(
                    "error",
                    "the organization runs in consolidated-billing-only mode; "
                    "SCPs and tag policies need all features",
                    "From the management account run `aws organizations enable-all-features`; "
                    "every member account must accept the handshake (up to 90 days), "
                    "then plan again.",
                )
            )
        wanted_tags = self.desired.organization.root_tags
        if wanted_tags is not None:
            root = Root(live.root_id, live.root_tags or {})
            self.tags(ROOT, wanted_tags, root.tags, root if self.exists else None)
        types = [a for a in self.wanted if a.startswith("policy-type:")]
        for address in (a for a in types if a.split(":", 1)[1] not in live.policy_types):
            self.add(
                address,
                Action.ENABLE,
                {"status": "DISABLED"},
                self.wanted[address],
                "the spec declares policies of this type",
                live if self.exists else None,
            )

    def ou(self, ou: OrganizationalUnit) -> None:
        live = self.ous.get(ou.path)
        if live is None:
            self.add(
                ou.address,
                Action.CREATE,
                None,
                self.wanted[ou.address],
                "declared in the spec",
                None,
            )
            return
        live_parent = (
            self.ou_path.get(live.parent_path, live.parent_path)
            if live.parent_path != ROOT
            else ROOT
        )
        if live_parent != ou.parent_path:
            self.preflight.append(
                Preflight(
                    "error",
                    f"{ou.address} is under {live.parent_path} in AWS "
                    f"but under {ou.parent_path} in the spec",
                    "AWS cannot move an OU: create a new one, move the accounts, "
                    "then remove the old one.",
                )
            )
        elif live.name != ou.name:
            self.add(
                ou.address,
                Action.UPDATE,
                {"id": live.id, "name": live.name},
                {"name": ou.name},
                f"renamed: {live.path} in AWS",
                live,
            )
        self.tags(ou.address, ou.tags, live.tags, live)

    def tags(self, address: str, wanted: Any, current: Any, live: Live) -> None:
        # orgstack's own marker tags (orgstack:*) are set by apply, not declared in specs.
        current = {k: v for k, v in current.items() if not k.startswith(MARKER_PREFIX)}
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        removed = sorted(k for k in current if k not in wanted)
        if changed:
            self.add(
                address,
                Action.TAG,
                {k: current.get(k) for k in changed},
                changed,
                "tags differ",
                live,
            )
        if removed:
            self.add(
                address,
                Action.UNTAG,
                {k: current[k] for k in removed},
                {},
                "tags not in the spec",
                live,
            )

    def policy(self, policy: Policy) -> None:
        live = self.policies.get(policy.address)
        if policy.aws_managed:
            return
        value = self.wanted[policy.address]
        if live is None:
            self.add(policy.address, Action.CREATE, None, value, "declared in the spec", None)
            return
        content = value["content"]
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if json.loads(live.content) != content:
            before["content"], after["content"] = json.loads(live.content), content
        if live.description != policy.description:
            before["description"], after["description"] = live.description, policy.description
        if live.name != policy.name:
            before["name"], after["name"] = live.name, policy.name
        if after:
            self.add(
                policy.address,
                Action.UPDATE,
                {"id": live.id, **before},
                after,
                "differs from the spec",
                live,
            )

    def account(self, account: Account) -> None:
        live = self.accounts.get(account.name)
        if live is None:
            if account.purpose != "management":
                value = self.wanted[account.address]
                self.add(account.address, Action.CREATE, None, value, "declared in the spec", None)
            else:  # the caller's account, tagged once the organization is created
                self.tags(account.address, account.tags, {}, None)
            return
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        # The management account predates orgstack: its name, like its e-mail, is kept.
        if live.name != account.name and account.purpose != "management":
            before["name"], after["name"] = live.name, account.name
        explicit = account.email is not None and not account.email_derived
        if explicit and (live.email or "").lower() != str(account.email).lower():
            before["email"], after["email"] = live.email, account.email
            self.preflight.append(
                Preflight(
                    "warning",
                    f"{account.address}: the spec changes the root e-mail "
                    f"{live.email} → {account.email}; apply cannot (AWS sends a code to the new "
                    "address)",
                    "Change it in the account's settings, or remove email: from the spec.",
                )
            )
        if after:
            self.add(
                account.address,
                Action.UPDATE,
                {"id": live.id, **before},
                after,
                "differs from the spec",
                live,
            )
        live_ou = self.ou_path.get(live.ou, live.ou) if live.ou != ROOT else ROOT
        if live_ou != account.ou:
            if account.purpose == "management":
                self.preflight.append(
                    Preflight(
                        "warning",
                        f"{account.address} is in {live.ou}, the spec says {account.ou}",
                        "orgstack never moves the management account.",
                    )
                )
            else:
                self.add(
                    account.address,
                    Action.MOVE,
                    {"id": live.id, "ou": live.ou},
                    {"ou": account.ou},
                    f"in {live.ou} in AWS",
                    live,
                )
        self.tags(account.address, account.tags, live.tags, live)

    def attachments(self, policy: Policy) -> None:
        live = self.policies.get(policy.address)
        wanted = [t.address for t in policy.targets]
        if policy.aws_managed:
            # Organizations attaches FullAWSAccess itself when SCPs are enabled and to every new
            # OU and account; only live targets that lost it need an attach.
            if live is None:
                return
            wanted = [t for t in wanted if t == ROOT or self._exists(t)]
        current = [
            a
            for a in (
                self.matches.desired_address(t.address) for t in (live.targets if live else ())
            )
            if a
        ]
        for target in wanted:
            if target not in current:
                self.add(
                    policy.address,
                    Action.ATTACH,
                    None,
                    {"target": target},
                    "declared in the spec",
                    live,
                )
        for target in current:
            if target not in wanted:
                self.add(
                    policy.address,
                    Action.DETACH,
                    {"target": target},
                    None,
                    "not in the spec's targets",
                    live,
                )

    def removed_accounts(self) -> None:
        """Accounts orgstack created that left the spec: suspended (closed only if allowed)."""
        planned = {c.address for c in self.changes}
        found, preflight = lifecycle.retire(
            self.desired, self.actual, self.removed, self.allow_close, planned
        )
        for item in found:
            self.add(*item)
        self.preflight += preflight

    def _exists(self, address: str) -> bool:
        kind, _, name = address.partition(":")
        return name in (self.ous if kind == "ou" else self.accounts)


def _phase(change: Change, kinds: list[str], order: list[Action]) -> tuple[int, int]:
    kind = change.address.split(":", 1)[0]
    if change.action in (Action.ATTACH, Action.DETACH, Action.SUSPEND, Action.CLOSE):
        return (len(kinds) + order.index(change.action), 0)
    return (kinds.index(kind), order.index(change.action))


def diff(desired: OrgModel, actual: OrgModel | None, allow_close: bool = False) -> Plan:
    """The plan that makes ``actual`` (None: no organization yet) match ``desired``;
    ``allow_close``: accounts that left the spec may be closed, not only suspended."""
    plan = _Differ(desired, actual, allow_close).run()
    found = lifecycle.capacity(desired, actual, plan.changes) + likely_renames(
        desired, actual, plan
    )
    return replace(plan, preflight=plan.preflight + found)
