"""Read the organization layer: organization, root, OU tree, accounts, policies, tags.

Calls, for an organization of P parents (root + OUs), A accounts and N policies:
DescribeOrganization, ListRoots, then per parent ListOrganizationalUnitsForParent and
ListAccountsForParent (one page each per 20 children; the per-OU listing is the floor, as no
call returns accounts with their parents), ListPolicies per policy type, per policy
DescribePolicy and ListTargetsForPolicy, ListAWSServiceAccessForOrganization,
ListDelegatedAdministrators, and ListTagsForResource only for the objects asked for.
Never ListParents or ListPoliciesForTarget per account. Every read starts as soon as what it
needs is known (no waiting for a whole tree level).

IAM actions: organizations:DescribeOrganization, organizations:ListRoots,
organizations:ListOrganizationalUnitsForParent, organizations:ListAccountsForParent,
organizations:ListPolicies, organizations:DescribePolicy, organizations:ListTargetsForPolicy,
organizations:ListAWSServiceAccessForOrganization, organizations:ListDelegatedAdministrators,
organizations:ListDelegatedServicesForAccount, organizations:ListTagsForResource,
sts:GetCallerIdentity
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError, NotInOrganizationError
from orgstack.aws.pool import FILL, PriorityPool
from orgstack.live.guess import guess_purpose
from orgstack.model import (
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Target,
    minified,
    paths,
)

POLICY_TYPES = {t.aws_name: t for t in PolicyType}
#: Read always (every organization may hold them, enabled or not); the other types only when
#: enabled on the root, so an organization without them costs no call for them.
ALWAYS_READ = (PolicyType.SERVICE_CONTROL.aws_name, PolicyType.TAG.aws_name)
#: Whose tags to read: called with each object's id and the object (None: the root) as soon
#: as it is listed, so tags are read while the rest of the tree still is.
TagSelector = Callable[[str, OrganizationalUnit | Account | None], bool]
#: Called once the accounts, trusted access and delegated administrators are known (policies
#: and tags, and with ``early`` the OUs, are still being read): the member-account reads start
#: from it.
OnTree = Callable[[OrgModel | None], None]


def every_tag(_id: str, _obj: OrganizationalUnit | Account | None) -> bool:
    return True


def read_organization(
    context: AwsContext,
    tags: TagSelector | None = None,
    on_tree: OnTree | None = None,
    *,
    early: bool = False,
) -> OrgModel | None:
    """The live organization as a model, or None when the caller is in no organization.

    ``tags`` picks the objects (root, OU or account) whose tags to read: tags cost one call per
    object, so only what the spec manages is read (None: no tags). Every read starts as soon
    as what it needs is known: policies, trusted access and delegated administrators with the
    tree's first listing, each parent's children as soon as the parent is listed, an object's
    tags as soon as it is. ``early``: ``on_tree`` gets the accounts from ListAccounts (one page
    per 20 accounts, their OUs unknown: ``?``) while the tree is still being listed, so the
    member-account reads start seconds earlier in a large organization.
    """
    client = context.client("organizations")
    with PriorityPool(context.options.max_workers) as pool:
        caller = pool.submit(context.caller_account)
        try:
            org = context.call(client, "describe_organization")["Organization"]
        except NotInOrganizationError:
            if on_tree is not None:
                on_tree(None)
            return None
        check_management(org, caller.result())
        listed = (
            pool.submit(lambda: list(context.pages(client, "list_accounts", "Accounts")))
            if early and on_tree is not None
            else None
        )
        summaries = [pool.submit(_policy_summaries, context, client, t) for t in ALWAYS_READ]
        access = pool.submit(read_service_access, context, client)
        admins = pool.submit(read_delegated_admins, context, client)
        root = next(context.pages(client, "list_roots", "Roots"))
        enabled = enabled_types(root)
        summaries += [
            pool.submit(_policy_summaries, context, client, t)
            for t in enabled
            if t in POLICY_TYPES and t not in ALWAYS_READ
        ]
        tree = Tree(context, client, pool, root["Id"], org["MasterAccountId"], tags)
        described = [
            pool.submit(_described, context, client, summary)
            for found in summaries
            for summary in found.result()
        ]
        organization = organization_from(org, root, access.result(), admins.result())
        if listed is not None and on_tree is not None:
            mgmt = org["MasterAccountId"]
            found = tuple(account_from(item, "?", mgmt) for item in listed.result())
            on_tree(OrgModel(organization, (), found, ()))
        ous, accounts = tree.wait()
        model = OrgModel(organization, tuple(ous), tuple(accounts), ())
        if listed is None and on_tree is not None:
            on_tree(model)
        policies = [_policy(future.result(), tree.ids) for future in described]
        return tree.tagged(replace(model, policies=tuple(policies)))


def check_management(org: dict[str, Any], caller: str) -> None:
    """Refuse credentials of a member account."""
    if caller != org["MasterAccountId"]:
        raise AwsError(
            f"account {caller} is a member of organization {org['Id']}, not its management account",
            f"Run orgstack with credentials of the management account {org['MasterAccountId']}.",
        )


def read_service_access(context: AwsContext, client: Any) -> tuple[str, ...]:
    return tuple(
        p["ServicePrincipal"]
        for p in context.pages(
            client, "list_aws_service_access_for_organization", "EnabledServicePrincipals"
        )
    )


def enabled_types(root: dict[str, Any]) -> tuple[str, ...]:
    return tuple(t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED")


def organization_from(
    org: dict[str, Any],
    root: dict[str, Any],
    access: tuple[str, ...],
    admins: tuple[tuple[str, str], ...],
) -> Organization:
    """The organization as AWS describes it (the spec's settings are not live values)."""
    return Organization(
        name=org["Id"],
        home_region="",
        allowed_regions=(),
        email_pattern=None,
        feature_set=org["FeatureSet"],
        id=org["Id"],
        management_account_id=org["MasterAccountId"],
        root_id=root["Id"],
        policy_types=enabled_types(root),
        service_access=access,
        delegated_admins=admins,
    )


class Tree:
    """The OU tree, read as fast as it can be: every parent's listing is submitted as soon as
    its parent's answer names it (no waiting for a whole level), and the tags of each object
    as soon as it is listed, behind every listing (the walk is the critical path; the tags
    fill the workers it leaves idle). Results are assembled in breadth-first order, as AWS
    lists them."""

    def __init__(
        self,
        context: AwsContext,
        client: Any,
        pool: PriorityPool,
        root_id: str,
        management_id: str,
        tags: TagSelector | None,
        path: str = "",
    ) -> None:
        """From the root, or (``path``) from that OU, whose id ``root_id`` then is."""
        self.context, self.client, self.pool = context, client, pool
        self.root_id, self.management_id, self.select = root_id, management_id, tags
        self.path = path
        self.ids = {root_id: f"ou:{path}" if path else "root"}  # live id → address
        self._children: dict[str, Future[list[dict[str, Any]]]] = {}
        self._members: dict[str, Future[list[dict[str, Any]]]] = {}
        self._tags: dict[str, Future[dict[str, str]]] = {}
        self._lock = threading.Lock()
        self._pending = 0
        self._done = threading.Event()
        self._failed: list[BaseException] = []
        if tags is not None and not path and tags(root_id, None):
            self._tags[root_id] = pool.submit_at(FILL, self._read_tags, root_id)
        self._list(root_id, path)

    def _listing(self, operation: str, key: str, parent_id: str) -> list[dict[str, Any]]:
        return list(self.context.pages(self.client, operation, key, ParentId=parent_id))

    def _list(self, parent_id: str, path: str) -> None:
        with self._lock:
            self._pending += 2
        children = self.pool.submit(
            self._listing, "list_organizational_units_for_parent", "OrganizationalUnits", parent_id
        )
        members = self.pool.submit(self._listing, "list_accounts_for_parent", "Accounts", parent_id)
        self._children[parent_id], self._members[parent_id] = children, members
        children.add_done_callback(lambda f: self._on_children(f, path))
        members.add_done_callback(lambda f: self._on_members(f, path))

    def _on_children(self, future: Future[list[dict[str, Any]]], path: str) -> None:
        try:
            for item in future.result():
                ou = OrganizationalUnit(paths.join(path, item["Name"]), id=item["Id"])
                self._tag(item["Id"], ou)
                self._list(item["Id"], ou.path)
        except BaseException as exc:  # raised again by wait()
            self._failed.append(exc)
        self._finish()

    def _on_members(self, future: Future[list[dict[str, Any]]], path: str) -> None:
        try:
            for item in future.result():
                self._tag(item["Id"], account_from(item, path or "root", self.management_id))
        except BaseException as exc:  # raised again by wait()
            self._failed.append(exc)
        self._finish()

    def _tag(self, object_id: str, obj: OrganizationalUnit | Account) -> None:
        if self.select is not None and self.select(object_id, obj):
            with self._lock:
                self._tags[object_id] = self.pool.submit_at(FILL, self._read_tags, object_id)

    def _finish(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self._done.set()

    def _read_tags(self, resource_id: str) -> dict[str, str]:
        return read_tags(self.context, self.client, resource_id)

    def wait(self) -> tuple[list[OrganizationalUnit], list[Account]]:
        """Every OU and account, breadth first (each level in AWS's listing order)."""
        self._done.wait()
        if self._failed:
            raise self._failed[0]
        ous: list[OrganizationalUnit] = []
        accounts: list[Account] = []
        level = [(self.root_id, self.path)]
        while level:
            next_level = []
            for parent_id, path in level:
                for item in self._members[parent_id].result():
                    accounts.append(account_from(item, path or "root", self.management_id))
                    self.ids[item["Id"]] = f"account:{item['Name']}"
            for parent_id, path in level:
                for item in self._children[parent_id].result():
                    child = paths.join(path, item["Name"])
                    ous.append(OrganizationalUnit(child, id=item["Id"]))
                    self.ids[item["Id"]] = f"ou:{child}"
                    next_level.append((item["Id"], child))
            level = next_level
        return ous, accounts

    def tagged(self, model: OrgModel) -> OrgModel:
        """``model`` with the tags read (objects not selected keep none)."""
        if self.select is None:
            return model
        found = {object_id: future.result() for object_id, future in self._tags.items()}
        organization = model.organization
        if self.root_id in found:
            organization = replace(organization, root_tags=found[self.root_id])
        return replace(
            model,
            organization=organization,
            ous=tuple(replace(o, tags=found[o.id]) if o.id in found else o for o in model.ous),
            accounts=tuple(
                replace(a, tags=found[a.id]) if a.id in found else a for a in model.accounts
            ),
        )


def read_tags(context: AwsContext, client: Any, resource_id: str) -> dict[str, str]:
    """An account's, OU's or the root's tags."""
    found = context.pages(client, "list_tags_for_resource", "Tags", ResourceId=resource_id)
    return {t["Key"]: t["Value"] for t in found}


def parent_of(context: AwsContext, client: Any, child_id: str) -> str:
    """The id of an account's or OU's parent (an OU or the root).

    IAM actions: organizations:ListParents
    """
    return str(next(context.pages(client, "list_parents", "Parents", ChildId=child_id))["Id"])


def account_state(item: dict[str, Any]) -> str | None:
    """An account's state: ``State`` (ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE,
    CLOSED), or the ``Status`` AWS is retiring for it where only that is given."""
    found = item.get("State") or item.get("Status")
    return str(found) if found else None


def account_from(item: dict[str, Any], ou: str, management_id: str) -> Account:
    management = item["Id"] == management_id
    joined = item.get("JoinedTimestamp")
    return Account(
        name=item["Name"],
        purpose="management" if management else (guess_purpose(item["Name"]) or "workload"),
        ou=ou,
        email=item.get("Email"),
        id=item["Id"],
        status=account_state(item),
        joined_method=item.get("JoinedMethod"),
        joined=joined.isoformat() if joined is not None else None,
    )


def _policy_summaries(context: AwsContext, client: Any, aws_type: str) -> list[dict[str, Any]]:
    return list(context.pages(client, "list_policies", "Policies", Filter=aws_type))


def _described(
    context: AwsContext, client: Any, summary: dict[str, Any]
) -> tuple[dict[str, Any], str, list[str]]:
    """A policy's summary, content and target ids."""
    described = context.call(client, "describe_policy", PolicyId=summary["Id"])
    targets = [
        t["TargetId"]
        for t in context.pages(client, "list_targets_for_policy", "Targets", PolicyId=summary["Id"])
    ]
    return summary, described["Policy"]["Content"], targets


def _policy(found: tuple[dict[str, Any], str, list[str]], ids: dict[str, str]) -> Policy:
    summary, content, targets = found
    return policy_from(summary, content, (Target.parse(ids[t]) for t in targets if t in ids))


def policy_from(summary: dict[str, Any], content: str, targets: Iterable[Target]) -> Policy:
    """A policy from its summary (ListPolicies, or DescribePolicy's), content and targets."""
    return Policy(
        name=summary["Name"],
        type=POLICY_TYPES[summary["Type"]],
        content=minified(json.loads(content)),
        description=summary.get("Description", ""),
        targets=tuple(targets),
        aws_managed=bool(summary.get("AwsManaged")),
        id=summary["Id"],
    )


def read_delegated_admins(context: AwsContext, client: Any) -> tuple[tuple[str, str], ...]:
    return delegated_admins_named(context, client)[0]


def delegated_admins_named(
    context: AwsContext, client: Any
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """(account id, service principal) per delegation, and each administrator's name by id."""
    admins = list(context.pages(client, "list_delegated_administrators", "DelegatedAdministrators"))
    pairs = []
    for admin in admins:
        services = context.pages(
            client,
            "list_delegated_services_for_account",
            "DelegatedServices",
            AccountId=admin["Id"],
        )
        pairs += [(admin["Id"], s["ServicePrincipal"]) for s in services]
    return tuple(pairs), {a["Id"]: a.get("Name", a["Id"]) for a in admins}
