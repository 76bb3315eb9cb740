"""Only the objects a plan's fingerprints point at (apply's stale check), when that takes fewer
calls than the whole tree (``cheaper``).

Each object is read as the whole read shows it, so its digest compares with the plan's: an
account's OU path, an OU's path, a policy's targets by address, the tags the plan
fingerprinted. Calls: per account DescribeAccount and ListParents, per OU
DescribeOrganizationalUnit and ListParents, per policy DescribePolicy and
ListTargetsForPolicy; per OU above them not known yet DescribeOrganizationalUnit and
ListParents, once each; ListTagsForResource per fingerprinted account, OU and root; for
objects the plan found absent: ListAccounts (accounts), one ListOrganizationalUnitsForParent
per level of the path (OUs), ListPolicies of the type.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from orgstack.aws.pool import PriorityPool
from orgstack.kinds.organization.read_head import Head
from orgstack.kinds.organization.read_lookups import Found, Lookups
from orgstack.kinds.organization.read_objects import (
    ALWAYS_READ,
    POLICY_TYPES,
    account_from,
    enabled_types,
    policy_from,
)
from orgstack.kinds.organization.vocabulary import OrgRequest, Wanted
from orgstack.model import Account, OrganizationalUnit, OrgModel, Policy, Target


def read_touched(head: Head, request: OrgRequest) -> OrgModel:
    """The organization with only the wanted objects, each as the whole read shows it (tags
    read for every fingerprinted account, OU and the root)."""
    wanted = request.touched
    assert wanted is not None
    pool = head.pool
    head.start()
    root = head.root()
    reader = Lookups(head.context, head.client, pool, root["Id"])
    root_tags = pool.submit(reader.tags, root["Id"]) if wanted.root else None
    accounts = {i: pool.submit(reader.account, i, True) for i in sorted(wanted.accounts)}
    ous = {i: pool.submit(reader.ou, i, True) for i in sorted(wanted.ous)}
    policies = {i: pool.submit(reader.policy, i) for i in sorted(wanted.policies)}
    listed = pool.submit(reader.pages, "list_accounts", "Accounts") if wanted.new_accounts else None
    walked = {p: pool.submit(reader.ou_at, p) for p in sorted(wanted.new_ous)}
    types = {*ALWAYS_READ, *enabled_types(root)}
    summaries: dict[str, Future[list[dict[str, Any]]]] = {
        t.aws_name: pool.submit(reader.pages, "list_policies", "Policies", Filter=t.aws_name)
        for t in set(wanted.new_policies.values())
        if t.aws_name in types
    }
    found_ous, found_accounts, found_policies = _assemble(
        reader, pool, wanted, head.management_id, accounts, ous, policies, listed, walked, summaries
    )
    organization = head.organization()
    if root_tags is not None:
        organization = replace(organization, root_tags=root_tags.result())
    found = {a.id for a in found_accounts}
    # Delegated administrators' names (the delegated-admin kind names them from here).
    named = [
        Account(name=name, purpose="workload", ou="?", email=None, id=account_id)
        for account_id, name in head.admin_names().items()
        if account_id not in found
    ]
    return OrgModel(
        organization, tuple(found_ous), (*found_accounts, *named), tuple(found_policies)
    )


def _assemble(
    reader: Lookups,
    pool: PriorityPool,
    wanted: Wanted,
    mgmt: str,
    accounts: dict[str, Future[Found | None]],
    ous: dict[str, Future[tuple[str, str, dict[str, str]] | None]],
    policies: dict[str, Future[tuple[dict[str, Any], list[dict[str, Any]]] | None]],
    listed: Future[list[dict[str, Any]]] | None,
    walked: dict[str, Future[str | None]],
    summaries: dict[str, Future[list[dict[str, Any]]]],
) -> tuple[list[OrganizationalUnit], list[Account], list[Policy]]:
    read_accounts = {i: f.result() for i, f in accounts.items()}
    read_ous = {i: f.result() for i, f in ous.items()}
    read_policies = {i: f.result() for i, f in policies.items()}
    # Absent when planned: found now?
    items = listed.result() if listed is not None else []
    by_name: dict[str, dict[str, Any]] = {}
    for listed_item in items:
        by_name.setdefault(listed_item["Name"], listed_item)
    appeared = {
        by_name[n]["Id"]: by_name[n]
        for n in wanted.new_accounts
        if n in by_name and by_name[n]["Id"] not in read_accounts
    }
    appeared_parents = dict(zip(appeared, pool.map(reader.parent, appeared), strict=True))
    new_ous = {p: f.result() for p, f in walked.items()}
    for aws_type, future in summaries.items():
        for summary in future.result():
            key = f"{POLICY_TYPES[aws_type].address_prefix}:{summary['Name']}"
            if key in wanted.new_policies and summary["Id"] not in read_policies:
                read_policies[summary["Id"]] = reader.policy(summary["Id"])
    # Every OU path needed: accounts' parents, OUs' parents, policies' OU targets.
    needed = {item[1] for item in read_accounts.values() if item}
    needed |= {item[1] for item in read_ous.values() if item}
    needed |= set(appeared_parents.values())
    needed |= {
        t["TargetId"]
        for item in read_policies.values()
        if item
        for t in item[1]
        if t["TargetId"].startswith("ou-")
    }
    reader.resolve(needed)
    out_accounts = [
        replace(account_from(item, reader.path(parent), mgmt), tags=tags)
        for item, parent, tags in (v for v in read_accounts.values() if v is not None)
    ]
    out_accounts += [
        account_from(item, reader.path(appeared_parents[i]), mgmt) for i, item in appeared.items()
    ]
    out_ous = [
        OrganizationalUnit(reader.path(ou_id), id=ou_id, tags=item[2])
        for ou_id, item in read_ous.items()
        if item is not None
    ]
    have = {o.id for o in out_ous}
    out_ous += [
        OrganizationalUnit(path, id=ou_id)
        for path, ou_id in new_ous.items()
        if ou_id is not None and ou_id not in have
    ]
    out_policies = [_policy(item, reader) for item in read_policies.values() if item is not None]
    return out_ous, out_accounts, out_policies


def _policy(found: tuple[dict[str, Any], list[dict[str, Any]]], reader: Lookups) -> Policy:
    item, targets = found
    # As the whole read: only targets in the tree (AWS may still list one just deleted).
    there = (_target(t, reader) for t in targets if reader.exists(str(t["TargetId"])))
    return policy_from(item["PolicySummary"], item["Content"], there)


def _target(item: dict[str, Any], reader: Lookups) -> Target:
    target_id = str(item["TargetId"])
    if target_id.startswith("r-"):
        return Target.parse("root")
    if target_id.startswith("ou-"):
        return Target("ou", reader.path(target_id))
    return Target("account", str(item["Name"]))
