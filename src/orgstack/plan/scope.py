"""Partial plans (``plan --target``): which of the spec's objects a set of targets covers, the
spec cut down to them, and whether a change lies within them.

A target is an account (``account:NAME``: the account and every kind's resources in it), an
OU (``ou:PATH``: it, every OU and account below it, and their resources) or a policy
(``scp:NAME``…: its content and description). Dependencies come along for creation only:
the OUs above a target (created when missing), a policy attached to a target (created when
missing; its content is the policy's own target), the policy type and trusted access they
need. Attachments follow the OU and account targets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from orgstack.errors import OrgstackError
from orgstack.model import MANAGED_POLICY_TYPES, OrgModel, paths
from orgstack.model.kind import account_of
from orgstack.plan.model import Action, Change

POLICY_PREFIXES = {t.address_prefix for t in MANAGED_POLICY_TYPES}
#: Organization-wide kind resources a target's own resources may need (enabled, never removed).
DEPENDENCY_PREFIXES = ("trusted-access:",)


@dataclass(frozen=True)
class Scope:
    """What ``targets`` cover, in the spec's words."""

    targets: tuple[str, ...]
    accounts: frozenset[str]
    ous: frozenset[str]
    subtrees: tuple[str, ...]
    ancestors: frozenset[str]
    policies: frozenset[str]

    def covers(self, address: str) -> bool:
        """An OU or account address (a policy's attachment target) within the targets."""
        kind, _, name = address.partition(":")
        return name in (self.ous if kind == "ou" else self.accounts if kind == "account" else ())

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "targets": list(self.targets),
            "accounts": sorted(self.accounts),
            "ous": sorted(self.ous),
            "subtrees": list(self.subtrees),
            "ancestors": sorted(self.ancestors),
            "policies": sorted(self.policies),
        }

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> Scope:
        return cls(
            tuple(data["targets"]),
            frozenset(data["accounts"]),
            frozenset(data["ous"]),
            tuple(data["subtrees"]),
            frozenset(data["ancestors"]),
            frozenset(data["policies"]),
        )


def resolve(desired: OrgModel, targets: tuple[str, ...]) -> Scope:
    """The scope of ``targets``; an unknown or malformed target is an error that says what a
    target may be."""
    accounts: set[str] = set()
    subtrees: list[str] = []
    policies: set[str] = set()
    known_policies = {p.address for p in desired.policies if not p.aws_managed}
    for target in dict.fromkeys(targets):
        kind, _, name = target.partition(":")
        if kind == "account" and desired.account(name) is not None:
            accounts.add(name)
        elif kind == "ou" and desired.ou(name.strip("/")) is not None:
            subtrees.append(name.strip("/"))
        elif kind in POLICY_PREFIXES and target in known_policies:
            policies.add(target)
        else:
            raise OrgstackError(
                f"--target {target}: the spec has no such "
                + ("account" if kind == "account" else "OU" if kind == "ou" else "object"),
                "A target is account:NAME, ou:PATH (with everything below it) or a policy's "
                "address (e.g. scp:NAME), as the spec names them; `orgstack show` lists them.",
            )
    ous = {o.path for o in desired.ous if any(paths.within(o.path, s) for s in subtrees)}
    accounts |= {a.name for a in desired.accounts if a.ou in ous}
    ancestors: set[str] = set()
    for path in [*(a.ou for a in desired.accounts if a.name in accounts), *subtrees]:
        ancestors |= set(paths.ancestors(path)) if path != "root" else set()
    return Scope(
        tuple(dict.fromkeys(targets)),
        frozenset(accounts),
        frozenset(ous),
        tuple(subtrees),
        frozenset(ancestors - ous),
        frozenset(policies),
    )


def restrict(desired: OrgModel, scope: Scope) -> OrgModel:
    """The spec's organization layer cut down to the scope: its OUs with the OUs above them,
    its accounts, the policies targeted or attached to it (attachments to it only)."""
    policies = []
    for policy in desired.policies:
        targets = tuple(t for t in policy.targets if scope.covers(t.address))
        if policy.address in scope.policies or targets:
            policies.append(replace(policy, targets=targets))
    return replace(
        desired,
        ous=tuple(o for o in desired.ous if o.path in scope.ous or o.path in scope.ancestors),
        accounts=tuple(a for a in desired.accounts if a.name in scope.accounts),
        policies=tuple(policies),
    )


def within(change: Change, scope: Scope, planned: tuple[Change, ...] = ()) -> bool:
    """Whether a partial plan may hold ``change`` (``planned``: the plan's other changes, for
    the dependencies that come along)."""
    kind, _, name = change.address.partition(":")
    if kind == "account":
        return name in scope.accounts
    if kind == "ou":
        return name in scope.ous or (name in scope.ancestors and change.action == Action.CREATE)
    if kind in POLICY_PREFIXES:
        if change.action in (Action.ATTACH, Action.DETACH):
            side = change.after if change.action == Action.ATTACH else change.before
            return scope.covers(str((side or {}).get("target", "")))
        if change.address in scope.policies:
            return True
        return change.action == Action.CREATE and any(
            c.address == change.address and c.action == Action.ATTACH and within(c, scope)
            for c in planned
        )
    if kind == "policy-type":
        return any(
            c.address.split(":", 1)[0] in POLICY_PREFIXES
            and c.action in (Action.CREATE, Action.ATTACH)
            and within(c, scope, planned)
            and _type_of(c, planned) == name
            for c in planned
        )
    if change.address.startswith(DEPENDENCY_PREFIXES):
        return change.action in (Action.CREATE, Action.ENABLE, Action.UPDATE)
    if kind in ("organization", "root"):
        return False
    return account_of(change.address) in scope.accounts


def _type_of(change: Change, planned: tuple[Change, ...]) -> str:
    """The AWS type name of a policy change (from its own or its creation's values)."""
    for candidate in (change, *(c for c in planned if c.address == change.address)):
        found = (candidate.after or {}).get("type")
        if found:
            return str(found)
    prefix = change.address.split(":", 1)[0]
    return next(t.aws_name for t in MANAGED_POLICY_TYPES if t.address_prefix == prefix)


def refused(changes: tuple[Change, ...], scope: Scope) -> list[str]:
    """The addresses of ``changes`` a partial plan may not hold."""
    return [c.address for c in changes if not within(c, scope, changes)]
