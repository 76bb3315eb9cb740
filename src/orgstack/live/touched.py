"""Read only the organization objects a whole plan's fingerprints point at (apply's stale
check), when that takes fewer calls than the whole tree (``cheaper``).

Each object is read as the organization read shows it, so its digest compares with the
plan's: an account's OU path, an OU's path, a policy's targets by address, the tags the plan
fingerprinted. Calls: DescribeOrganization, ListRoots, ListAWSServiceAccessForOrganization,
ListDelegatedAdministrators (and ListDelegatedServicesForAccount per administrator); per
account DescribeAccount and ListParents, per OU DescribeOrganizationalUnit and ListParents,
per policy DescribePolicy and ListTargetsForPolicy; per OU above them not known yet
DescribeOrganizationalUnit and ListParents, once each; ListTagsForResource per fingerprinted
account, OU and root; for objects the plan found absent: ListAccounts (accounts), one
ListOrganizationalUnitsForParent per level of the path (OUs), ListPolicies of the type.

IAM actions: organizations:DescribeOrganization, organizations:ListRoots,
organizations:ListAWSServiceAccessForOrganization, organizations:ListDelegatedAdministrators,
organizations:ListDelegatedServicesForAccount, organizations:DescribeAccount,
organizations:DescribeOrganizationalUnit, organizations:ListParents,
organizations:DescribePolicy, organizations:ListTargetsForPolicy, organizations:ListAccounts,
organizations:ListOrganizationalUnitsForParent, organizations:ListPolicies,
organizations:ListTagsForResource, sts:GetCallerIdentity
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError, NotInOrganizationError
from orgstack.aws.pool import PriorityPool
from orgstack.live.organization import (
    ALWAYS_READ,
    POLICY_TYPES,
    account_from,
    check_management,
    delegated_admins_named,
    enabled_types,
    organization_from,
    parent_of,
    policy_from,
    read_service_access,
    read_tags,
)
from orgstack.model import (
    Account,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Target,
    paths,
)

ACCOUNT_ID = re.compile(r"\d{12}")
#: AWS's answer when the object is gone (deleted, closed and removed, left the organization).
GONE = frozenset(
    {
        "AccountNotFoundException",
        "OrganizationalUnitNotFoundException",
        "PolicyNotFoundException",
        "TargetNotFoundException",
        "ChildNotFoundException",
    }
)
_TYPES_BY_PREFIX = {t.address_prefix: t for t in PolicyType}


@dataclass
class Wanted:
    """What a plan's fingerprints name: live objects by id, absent ones by address."""

    accounts: set[str] = field(default_factory=set)
    ous: set[str] = field(default_factory=set)
    policies: set[str] = field(default_factory=set)
    root: bool = False
    new_accounts: set[str] = field(default_factory=set)  # names
    new_ous: set[str] = field(default_factory=set)  # paths
    new_policies: dict[str, PolicyType] = field(default_factory=dict)  # type by address
    #: OU paths above the fingerprinted objects when planned (each costs two calls if unknown).
    above: set[str] = field(default_factory=set)


def wanted_from(keys: Iterable[str], observed: Mapping[str, Any]) -> Wanted | None:
    """What ``keys`` (a plan's organization fingerprints) name; None for a key this reader
    does not know (the whole tree is read then)."""
    wanted = Wanted()
    for key in keys:
        if key.startswith("id:"):
            object_id = key[3:]
            if object_id.startswith("o-"):
                continue  # the organization: always read
            if object_id.startswith("r-"):
                wanted.root = True
            elif object_id.startswith("ou-"):
                wanted.ous.add(object_id)
            elif object_id.startswith("p-"):
                wanted.policies.add(object_id)
            elif ACCOUNT_ID.fullmatch(object_id):
                wanted.accounts.add(object_id)
            else:
                return None
            then = observed.get(key) or {}
            for place in (then.get("ou"), then.get("path")):
                if place and place != "root":
                    wanted.above |= set(paths.ancestors(place))
            continue
        kind, _, name = key.partition(":")
        if key == "organization":
            continue
        if kind == "account":
            wanted.new_accounts.add(name)
        elif kind == "ou":
            wanted.new_ous.add(name)
        elif kind in _TYPES_BY_PREFIX:
            wanted.new_policies[key] = _TYPES_BY_PREFIX[kind]
        else:
            return None
    return wanted


def cheaper(wanted: Wanted, ids: Mapping[str, str]) -> bool:
    """Whether reading only ``wanted`` takes fewer calls than the whole tree, estimated from
    the plan's ids (its spec's OUs, accounts and policies)."""
    ous = sum(1 for k in ids if k.startswith("ou:"))
    accounts = sum(1 for k in ids if k.startswith("account:"))
    policies = sum(1 for k in ids if k.split(":", 1)[0] in _TYPES_BY_PREFIX)
    tagged = len(wanted.accounts) + len(wanted.ous) + int(wanted.root)
    whole = 2 * (ous + 1) + accounts // 20 + 2 * policies + tagged
    alone = (
        3 * (len(wanted.accounts) + len(wanted.ous))
        + int(wanted.root)
        + 2 * len(wanted.policies)
        + 2 * len(wanted.above)
        + (accounts // 20 + 1 + len(wanted.new_accounts) if wanted.new_accounts else 0)
        + sum(len(paths.names(p)) for p in wanted.new_ous)
        + 3 * len(wanted.new_policies)
    )
    return alone < whole


class _Reader:
    def __init__(self, context: AwsContext, client: Any, pool: PriorityPool, root: str) -> None:
        self.context, self.client, self.pool, self.root = context, client, pool, root
        self._ou_names: dict[str, tuple[str, str]] = {}  # OU id → (name, parent id)
        self._paths = {root: "root"}
        self._gone: set[str] = set()

    def pages(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        return list(self.context.pages(self.client, operation, key, **kwargs))

    def _unless_gone(self, call: Any) -> Any:
        try:
            return call()
        except AwsError as exc:
            if exc.code in GONE:
                return None
            raise

    def parent(self, child_id: str) -> str:
        return parent_of(self.context, self.client, child_id)

    def tags(self, resource_id: str) -> dict[str, str]:
        return read_tags(self.context, self.client, resource_id)

    def account(self, account_id: str) -> tuple[dict[str, Any], str, dict[str, str]] | None:
        def read() -> tuple[dict[str, Any], str, dict[str, str]]:
            item = self.context.call(self.client, "describe_account", AccountId=account_id)
            return item["Account"], self.parent(account_id), self.tags(account_id)

        found: tuple[dict[str, Any], str, dict[str, str]] | None = self._unless_gone(read)
        return found

    def ou(self, ou_id: str, tagged: bool) -> tuple[str, str, dict[str, str]] | None:
        def read() -> tuple[str, str, dict[str, str]]:
            name = self.context.call(
                self.client, "describe_organizational_unit", OrganizationalUnitId=ou_id
            )["OrganizationalUnit"]["Name"]
            return str(name), self.parent(ou_id), self.tags(ou_id) if tagged else {}

        found: tuple[str, str, dict[str, str]] | None = self._unless_gone(read)
        return found

    def policy(self, policy_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        def read() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            item = self.context.call(self.client, "describe_policy", PolicyId=policy_id)
            targets = self.pages("list_targets_for_policy", "Targets", PolicyId=policy_id)
            return item["Policy"], targets

        found: tuple[dict[str, Any], list[dict[str, Any]]] | None = self._unless_gone(read)
        return found

    def walk(self, path: str) -> str | None:
        """The id of the OU at ``path``, when there is one (a listing per level)."""
        parent = self.root
        for name in paths.names(path):
            children = self.pages(
                "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent
            )
            found = next((c for c in children if c["Name"] == name), None)
            if found is None:
                return None
            self._ou_names[found["Id"]] = (name, parent)
            parent = found["Id"]
        return parent

    def known(self, ou_id: str, name: str, parent: str) -> None:
        self._ou_names[ou_id] = (name, parent)

    def resolve(self, ou_ids: Iterable[str]) -> None:
        """Learn the path of every OU in ``ou_ids`` (the OUs above them, level by level)."""
        todo = {
            i
            for i in ou_ids
            if i not in self._paths and i not in self._ou_names and i not in self._gone
        }
        while todo:
            found = dict(zip(todo, self.pool.map(lambda i: self.ou(i, False), todo), strict=True))
            todo = set()
            for ou_id, item in found.items():
                if item is None:
                    self._gone.add(ou_id)  # deleted (a policy's stale target): not in the tree
                    continue
                name, parent, _ = item
                self._ou_names[ou_id] = (name, parent)
                if parent not in self._paths and parent not in self._ou_names:
                    todo.add(parent)

    def exists(self, ou_id: str) -> bool:
        """Whether the OU (or the root) is in the tree, after ``resolve``."""
        return ou_id not in self._gone

    def path(self, ou_id: str) -> str:
        """An OU's path (``root`` for the root), from what ``resolve`` learned."""
        if ou_id not in self._paths:
            name, parent = self._ou_names[ou_id]
            above = self.path(parent)
            self._paths[ou_id] = paths.join("" if above == "root" else above, name)
        return self._paths[ou_id]


def read_touched(context: AwsContext, wanted: Wanted) -> OrgModel | None:
    """The organization with only the ``wanted`` objects, each as the whole read shows it
    (tags read for every fingerprinted account, OU and the root); None when there is no
    organization."""
    client = context.client("organizations")
    try:
        org = context.call(client, "describe_organization")["Organization"]
    except NotInOrganizationError:
        return None
    check_management(org, context.caller_account())
    mgmt = org["MasterAccountId"]
    with PriorityPool(context.options.max_workers) as pool:
        access = pool.submit(read_service_access, context, client)
        admins = pool.submit(delegated_admins_named, context, client)
        root = next(context.pages(client, "list_roots", "Roots"))
        reader = _Reader(context, client, pool, root["Id"])
        root_tags = pool.submit(reader.tags, root["Id"]) if wanted.root else None
        accounts = {i: pool.submit(reader.account, i) for i in sorted(wanted.accounts)}
        ous = {i: pool.submit(reader.ou, i, True) for i in sorted(wanted.ous)}
        policies = {i: pool.submit(reader.policy, i) for i in sorted(wanted.policies)}
        listed = (
            pool.submit(reader.pages, "list_accounts", "Accounts") if wanted.new_accounts else None
        )
        walked = {p: pool.submit(reader.walk, p) for p in sorted(wanted.new_ous)}
        types = {*ALWAYS_READ, *enabled_types(root)}
        summaries: dict[str, Future[list[dict[str, Any]]]] = {
            t.aws_name: pool.submit(reader.pages, "list_policies", "Policies", Filter=t.aws_name)
            for t in set(wanted.new_policies.values())
            if t.aws_name in types
        }
        found_ous, found_accounts, found_policies = _assemble(
            reader, pool, wanted, mgmt, accounts, ous, policies, listed, walked, summaries
        )
        pairs, names = admins.result()
        organization = organization_from(org, root, access.result(), pairs)
        if root_tags is not None:
            organization = replace(organization, root_tags=root_tags.result())
    found = {a.id for a in found_accounts}
    # Delegated administrators' names (the delegated-admin kind names them from here).
    named = [
        Account(name=name, purpose="workload", ou="?", email=None, id=account_id)
        for account_id, name in names.items()
        if account_id not in found
    ]
    return OrgModel(
        organization, tuple(found_ous), (*found_accounts, *named), tuple(found_policies)
    )


def _assemble(
    reader: _Reader,
    pool: PriorityPool,
    wanted: Wanted,
    mgmt: str,
    accounts: dict[str, Future[tuple[dict[str, Any], str, dict[str, str]] | None]],
    ous: dict[str, Future[tuple[str, str, dict[str, str]] | None]],
    policies: dict[str, Future[tuple[dict[str, Any], list[dict[str, Any]]] | None]],
    listed: Future[list[dict[str, Any]]] | None,
    walked: dict[str, Future[str | None]],
    summaries: dict[str, Future[list[dict[str, Any]]]],
) -> tuple[list[OrganizationalUnit], list[Account], list[Policy]]:
    read_accounts = {i: f.result() for i, f in accounts.items()}
    read_ous = {i: f.result() for i, f in ous.items()}
    for ou_id, item in read_ous.items():
        if item is not None:
            reader.known(ou_id, item[0], item[1])
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


def _policy(found: tuple[dict[str, Any], list[dict[str, Any]]], reader: _Reader) -> Policy:
    item, targets = found
    # As the whole read: only targets in the tree (AWS may still list one just deleted).
    there = (_target(t, reader) for t in targets if reader.exists(str(t["TargetId"])))
    return policy_from(item["PolicySummary"], item["Content"], there)


def _target(item: dict[str, Any], reader: _Reader) -> Target:
    target_id = str(item["TargetId"])
    if target_id.startswith("r-"):
        return Target.parse("root")
    if target_id.startswith("ou-"):
        return Target("ou", reader.path(target_id))
    return Target("account", str(item["Name"]))
