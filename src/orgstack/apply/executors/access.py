"""Access changes: which executor makes each (IAM mode in ``access_iam``, Identity Center in
``access_sso``) and what each waits for."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.apply.executors import access_iam, access_sso
from orgstack.plan.access import kind_of, placeholders
from orgstack.plan.model import Action, Change

EXECUTORS = {
    ("policy", "create"): access_iam.create_policy,
    ("policy", "update"): access_iam.update_policy,
    ("user", "create"): access_iam.create_user,
    ("user", "update"): access_iam.update_user,
    ("group", "create"): access_iam.create_group,
    ("group", "update"): access_iam.update_group,
    ("role", "create"): access_iam.create_role,
    ("role", "update"): access_iam.update_role,
    ("role", "delete"): access_iam.delete_role,
    ("permission-set", "create"): access_sso.create_permission_set,
    ("permission-set", "update"): access_sso.update_permission_set,
    ("permission-set", "delete"): access_sso.delete_permission_set,
    ("sso-user", "create"): access_sso.create_sso_user,
    ("sso-user", "update"): access_sso.update_sso_user,
    ("sso-group", "create"): access_sso.create_sso_group,
    ("sso-group", "update"): access_sso.update_sso_group,
    ("assignment", "create"): access_sso.create_assignment,
    ("assignment", "detach"): access_sso.detach_assignment,
}


#: An access change of this kind waits for the creations of these kinds: a trust policy names
#: users, a group holds users and the MFA policy, an assignment joins a permission set and a group.
WAITS_FOR = {
    "role": ("user", "policy"),
    "group": ("user", "policy"),
    "sso-group": ("sso-user",),
    "assignment": ("permission-set", "sso-group"),
}


def run(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    return EXECUTORS[(kind_of(change.address), change.action.value)](change, index, ctx)


def dependencies(changes: tuple[Change, ...]) -> dict[int, set[int]]:
    """For each access change, what it waits for: the organization, the accounts it lives in
    or points at, and the creations ``WAITS_FOR`` names; deleting a permission set waits for
    its assignments. Indexed once, so large plans stay linear."""
    organization = {i for i, c in enumerate(changes) if c.address == "organization"}
    accounts = {
        c.address.split(":", 1)[1]: i
        for i, c in enumerate(changes)
        if c.action == Action.CREATE and c.address.startswith("account:")
    }
    access = [(i, c) for i, c in enumerate(changes) if c.address.startswith("access:")]
    created: dict[str, set[int]] = defaultdict(set)
    for i, c in access:
        if c.action == Action.CREATE:
            created[kind_of(c.address)].add(i)
    assignments = {i for i, c in access if kind_of(c.address) == "assignment"}
    found: dict[int, set[int]] = {}
    for i, change in access:
        kind = kind_of(change.address)
        home = change.address.split(":", 1)[1].split("/", 1)[0]
        named = {home} | placeholders(change.after or change.before or {})
        needs = organization | {accounts[a] for a in named if a in accounts}
        for other in WAITS_FOR.get(kind, ()):
            needs |= created[other]
        if kind == "permission-set" and change.action == Action.DELETE:
            needs |= assignments
        needs.discard(i)
        found[i] = needs
    return found
