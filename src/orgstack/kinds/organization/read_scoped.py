"""A partial plan's scope (``plan --target``): never the whole tree.

For a scope of accounts and OUs: one ListOrganizationalUnitsForParent per OU on the way from
the root to each scoped OU and account (shared between them); the whole tree below each OU
target; per target account not found there, DescribeAccount and ListParents when the spec
knows its id, else the listing of its OU (ListAccounts only when it is not there);
ListTagsForResource per object in scope; and its policies: ListPoliciesForTarget per target
and policy type, DescribePolicy per policy found (or, for many targets, every policy with its
targets, as the whole read does). A targeted policy: DescribePolicy and ListTargetsForPolicy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orgstack.kinds.organization.read_head import Head
from orgstack.kinds.organization.read_lookups import Lookups
from orgstack.kinds.organization.read_objects import account_from, policy_on, read_types
from orgstack.kinds.organization.read_tree import Tree
from orgstack.kinds.organization.vocabulary import OrgRequest
from orgstack.model import Account, OrganizationalUnit, OrgModel, Policy
from orgstack.plan.scope import Scope


def read_scoped(head: Head, request: OrgRequest) -> OrgModel:
    """The organization within the request's scope (and the OUs above it)."""
    assert request.scope is not None
    assert request.desired is not None
    desired, scope, pool, tags = request.desired, request.scope, head.pool, request.tags
    head.start()
    root = head.root()
    lookups = Lookups(head.context, head.client, pool, root["Id"])
    address_of = {root["Id"]: "root"}
    ous, accounts = _objects(head, lookups, desired, scope)
    address_of |= {o.id or "": o.address for o in ous}
    address_of |= {a.id or "": a.address for a in accounts}
    organization = head.organization()
    in_scope = [o for o in ous if o.path in scope.ous] + accounts
    policies = _policies(lookups, desired, scope, in_scope, read_types(root), address_of)
    tagged = {
        o.id: pool.submit(lookups.tags, o.id)
        for o in in_scope
        if o.id and tags is not None and tags(o.id, o)
    }
    found = {object_id: future.result() for object_id, future in tagged.items()}
    return OrgModel(
        organization,
        tuple(replace(o, tags=found[o.id]) if o.id in found else o for o in ous),
        tuple(replace(a, tags=found[a.id]) if a.id in found else a for a in accounts),
        tuple(policies),
    )


def _objects(
    head: Head, lookups: Lookups, desired: OrgModel, scope: Scope
) -> tuple[list[OrganizationalUnit], list[Account]]:
    ous: dict[str, OrganizationalUnit] = {}
    wanted = {a.name: a for a in desired.accounts if a.name in scope.accounts}
    for path in sorted({*scope.ancestors, *scope.subtrees, *(a.ou for a in wanted.values())}):
        for ou in lookups.walk(path):
            ous[ou.path] = ou
    accounts: dict[str, Account] = {}
    for top in scope.subtrees:
        if top not in ous:
            continue  # not created yet: nothing below it either
        tree = Tree(
            head.context, head.client, head.pool, ous[top].id or "", head.management_id, None, top
        )
        below, members = tree.wait()
        ous |= {o.path: o for o in below}
        accounts |= {a.id or "": a for a in members}
        for ou in below:
            lookups.known(ou.id or "", ou.name, _parent_id(ou, ous, lookups.root))
    known = {a.name for a in accounts.values()} | {a.email for a in accounts.values()}
    missing = [a for a in wanted.values() if a.name not in known and a.email not in known]
    for found in head.pool.map(lambda a: _account(head, lookups, a, ous), missing):
        if found is not None:
            accounts[found.id or ""] = found
    return sorted(ous.values(), key=lambda o: o.depth), list(accounts.values())


def _parent_id(ou: OrganizationalUnit, ous: dict[str, OrganizationalUnit], root: str) -> str:
    parent = ous.get(ou.parent_path or "")
    return parent.id or "" if parent is not None else root


def _account(
    head: Head, lookups: Lookups, wanted: Account, ous: dict[str, OrganizationalUnit]
) -> Account | None:
    """A target account outside the OU targets: by the spec's id, else in its OU, else among
    all accounts (by e-mail, then name)."""
    mgmt = head.management_id
    if wanted.id:
        found = lookups.account(wanted.id, tagged=False)
        if found is not None:
            return account_from(found[0], lookups.path_of(found[1]), mgmt)
    home = ous.get(wanted.ou)
    parent_id = lookups.root if wanted.ou == "root" else (home.id if home else None)
    candidates = (
        lookups.pages("list_accounts_for_parent", "Accounts", ParentId=parent_id)
        if parent_id
        else []
    )
    nearby = _pick(wanted, candidates)
    if nearby is not None:
        return account_from(nearby, wanted.ou, mgmt)
    anywhere = _pick(wanted, lookups.pages("list_accounts", "Accounts"))
    if anywhere is None:
        return None
    return account_from(anywhere, lookups.path_of(lookups.parent(anywhere["Id"])), mgmt)


def _policies(
    lookups: Lookups,
    desired: OrgModel,
    scope: Scope,
    targets: list[OrganizationalUnit | Account],
    types: list[str],
    address_of: dict[str, str],
) -> list[Policy]:
    """The policies attached to ``targets`` (attachments to them only) and the targeted ones;
    the cheaper of per-target listings and the whole policy read."""
    ids = {o.id for o in targets if o.id}
    attached: dict[str, set[str]] = {}
    declared = len([p for p in desired.policies if not p.aws_managed]) + 1
    pool = lookups.pool
    if len(ids) * len(types) <= len(types) + 2 * declared:
        pairs = [(i, t) for i in sorted(ids) for t in types]
        listings = pool.map(
            lambda pair: lookups.pages(
                "list_policies_for_target", "Policies", TargetId=pair[0], Filter=pair[1]
            ),
            pairs,
        )
        for (target_id, _), listing in zip(pairs, listings, strict=True):
            for summary in listing:
                attached.setdefault(summary["Id"], set()).add(target_id)
    else:
        summaries = [s for t in types for s in lookups.pages("list_policies", "Policies", Filter=t)]
        found = pool.map(lambda s: _target_ids(lookups, s["Id"]), summaries)
        for summary, on in zip(summaries, found, strict=True):
            attached[summary["Id"]] = on & ids
    targeted = set()
    for policy in desired.policies:
        if policy.address in scope.policies:
            found_id = policy.id or _policy_id(lookups, policy.type.aws_name, policy.name)
            if found_id:
                targeted.add(found_id)
                attached.setdefault(found_id, set()).update(_target_ids(lookups, found_id) & ids)
    chosen = [i for i, on in attached.items() if on or i in targeted]
    described = pool.map(
        lambda i: lookups.context.call(lookups.client, "describe_policy", PolicyId=i)["Policy"],
        chosen,
    )
    return [
        policy_on(
            item["PolicySummary"],
            item["Content"],
            sorted(attached[item["PolicySummary"]["Id"]]),
            address_of,
        )
        for item in described
    ]


def _target_ids(lookups: Lookups, policy_id: str) -> set[str]:
    return {t["TargetId"] for t in lookups.targets(policy_id)}


def _policy_id(lookups: Lookups, aws_type: str, name: str) -> str | None:
    found = lookups.pages("list_policies", "Policies", Filter=aws_type)
    return next((str(p["Id"]) for p in found if p["Name"] == name), None)


def _pick(wanted: Account, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    email = (wanted.email or "").lower()
    by_email = next((i for i in items if email and i.get("Email", "").lower() == email), None)
    return by_email or next((i for i in items if i["Name"] == wanted.name), None)
