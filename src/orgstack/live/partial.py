"""Read only what a partial plan's scope needs (``plan --target``): never the whole tree.

For a scope of accounts and OUs: DescribeOrganization, ListRoots, trusted access and delegated
administrators; one ListOrganizationalUnitsForParent per OU on the way from the root to each
scoped OU and account (shared between them); the whole tree below each OU target; per target
account not found there, DescribeAccount and ListParents when the spec knows its id, else the
listing of its OU (ListAccounts only when it is not there); ListTagsForResource per object in
scope; and its policies: ListPoliciesForTarget per target and policy type, DescribePolicy per
policy found (or, for many targets, every policy with its targets, as the full read does).
A targeted policy: DescribePolicy and ListTargetsForPolicy.

IAM actions: organizations:DescribeOrganization, organizations:ListRoots,
organizations:ListOrganizationalUnitsForParent, organizations:ListAccountsForParent,
organizations:DescribeAccount, organizations:DescribeOrganizationalUnit, organizations:ListParents,
organizations:ListAccounts,
organizations:ListPoliciesForTarget, organizations:DescribePolicy,
organizations:ListTargetsForPolicy, organizations:ListPolicies,
organizations:ListAWSServiceAccessForOrganization, organizations:ListDelegatedAdministrators,
organizations:ListDelegatedServicesForAccount, organizations:ListTagsForResource,
sts:GetCallerIdentity
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError, NotInOrganizationError
from orgstack.aws.pool import PriorityPool
from orgstack.errors import OrgstackError
from orgstack.live.organization import (
    ALWAYS_READ,
    POLICY_TYPES,
    TagSelector,
    Tree,
    account_from,
    check_management,
    enabled_types,
    organization_from,
    parent_of,
    policy_from,
    read_delegated_admins,
    read_service_access,
    read_tags,
)
from orgstack.model import (
    Account,
    OrganizationalUnit,
    OrgModel,
    Policy,
    Target,
    paths,
)
from orgstack.plan.scope import Scope


def read_scope(context: AwsContext, desired: OrgModel, scope: Scope, tags: TagSelector) -> OrgModel:
    """The live organization within ``scope`` (and the OUs above it) as a model."""
    client = context.client("organizations")
    try:
        org = context.call(client, "describe_organization")["Organization"]
    except NotInOrganizationError:
        raise OrgstackError(
            "--target needs an organization, and this account is in none yet",
            "Plan the whole spec first (without --target): it creates the organization.",
        ) from None
    check_management(org, context.caller_account())
    with PriorityPool(context.options.max_workers) as pool:
        access = pool.submit(read_service_access, context, client)
        admins = pool.submit(read_delegated_admins, context, client)
        root = next(context.pages(client, "list_roots", "Roots"))
        enabled = enabled_types(root)
        reader = _ScopeReader(context, client, pool, root["Id"], org["MasterAccountId"])
        ous, accounts = reader.objects(desired, scope)
        organization = organization_from(org, root, access.result(), admins.result())
        types = [*ALWAYS_READ, *(t for t in enabled if t in POLICY_TYPES and t not in ALWAYS_READ)]
        in_scope = [o for o in ous if o.path in scope.ous] + accounts
        policies = reader.policies(desired, scope, in_scope, types)
        tagged = {o.id: pool.submit(reader.tags, o.id) for o in in_scope if o.id and tags(o.id, o)}
        found = {object_id: future.result() for object_id, future in tagged.items()}
    return OrgModel(
        organization,
        tuple(replace(o, tags=found[o.id]) if o.id in found else o for o in ous),
        tuple(replace(a, tags=found[a.id]) if a.id in found else a for a in accounts),
        tuple(policies),
    )


class _ScopeReader:
    def __init__(
        self, context: AwsContext, client: Any, pool: PriorityPool, root: str, mgmt: str
    ) -> None:
        self.context, self.client, self.pool = context, client, pool
        self.root, self.management_id = root, mgmt
        self._children: dict[str, list[dict[str, Any]]] = {}
        self.path_of = {root: "root"}  # live OU id → path ("root" for the root)
        self.address_of = {root: "root"}

    def _pages(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        return list(self.context.pages(self.client, operation, key, **kwargs))

    def children(self, parent_id: str) -> list[dict[str, Any]]:
        if parent_id not in self._children:
            self._children[parent_id] = self._pages(
                "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id
            )
        return self._children[parent_id]

    def walk(self, path: str) -> list[OrganizationalUnit]:
        """The OUs from the root down to ``path`` that exist (one listing per level)."""
        found: list[OrganizationalUnit] = []
        parent, here = self.root, ""
        for name in paths.names(path) if path not in ("", "root") else []:
            item = next((c for c in self.children(parent) if c["Name"] == name), None)
            if item is None:
                break
            here = paths.join(here, name)
            found.append(OrganizationalUnit(here, id=item["Id"]))
            self.path_of[item["Id"]] = here
            self.address_of[item["Id"]] = f"ou:{here}"
            parent = item["Id"]
        return found

    def objects(
        self, desired: OrgModel, scope: Scope
    ) -> tuple[list[OrganizationalUnit], list[Account]]:
        ous: dict[str, OrganizationalUnit] = {}
        wanted = {a.name: a for a in desired.accounts if a.name in scope.accounts}
        for path in sorted({*scope.ancestors, *scope.subtrees, *(a.ou for a in wanted.values())}):
            for ou in self.walk(path):
                ous[ou.path] = ou
        accounts: dict[str, Account] = {}
        for top in scope.subtrees:
            if top not in ous:
                continue  # not created yet: nothing below it either
            tree = Tree(
                self.context, self.client, self.pool, ous[top].id or "", self.management_id,
                None, top,
            )  # fmt: skip
            below, members = tree.wait()
            ous |= {o.path: o for o in below}
            accounts |= {a.id or "": a for a in members}
            for ou in below:
                self.path_of[ou.id or ""] = ou.path
                self.address_of[ou.id or ""] = ou.address
        known = {a.name for a in accounts.values()} | {a.email for a in accounts.values()}
        missing = [a for a in wanted.values() if a.name not in known and a.email not in known]
        for found in self.pool.map(lambda a: self.account(a, ous), missing):
            if found is not None:
                accounts[found.id or ""] = found
        for account in accounts.values():
            self.address_of[account.id or ""] = f"account:{account.name}"
        return sorted(ous.values(), key=lambda o: o.depth), list(accounts.values())

    def account(self, wanted: Account, ous: dict[str, OrganizationalUnit]) -> Account | None:
        """A target account outside the OU targets: by the spec's id, else in its OU, else
        among all accounts (by e-mail, then name)."""
        if wanted.id:
            try:
                item = self.context.call(self.client, "describe_account", AccountId=wanted.id)
            except AwsError as exc:
                if exc.code != "AccountNotFoundException":
                    raise
            else:
                parent = parent_of(self.context, self.client, wanted.id)
                return account_from(item["Account"], self.ou_path(parent), self.management_id)
        home = ous.get(wanted.ou)
        parent_id = self.root if wanted.ou == "root" else (home.id if home else None)
        candidates = (
            self._pages("list_accounts_for_parent", "Accounts", ParentId=parent_id)
            if parent_id
            else []
        )
        nearby = _pick(wanted, candidates)
        if nearby is not None:
            return account_from(nearby, wanted.ou, self.management_id)
        anywhere = _pick(wanted, self._pages("list_accounts", "Accounts"))
        if anywhere is None:
            return None
        parent = parent_of(self.context, self.client, anywhere["Id"])
        return account_from(anywhere, self.ou_path(parent), self.management_id)

    def ou_path(self, ou_id: str) -> str:
        """An OU's path by its id (ListParents and DescribeOrganizationalUnit up to a known one)."""
        if ou_id not in self.path_of:
            name = self.context.call(
                self.client, "describe_organizational_unit", OrganizationalUnitId=ou_id
            )["OrganizationalUnit"]["Name"]
            parent = parent_of(self.context, self.client, ou_id)
            above = self.ou_path(parent)
            self.path_of[ou_id] = paths.join("" if above == "root" else above, name)
        return self.path_of[ou_id]

    def tags(self, resource_id: str) -> dict[str, str]:
        return read_tags(self.context, self.client, resource_id)

    def policies(
        self,
        desired: OrgModel,
        scope: Scope,
        targets: list[OrganizationalUnit | Account],
        types: list[str],
    ) -> list[Policy]:
        """The policies attached to ``targets`` (attachments to them only) and the targeted
        ones; the cheaper of per-target listings and the full policy read."""
        ids = {o.id for o in targets if o.id}
        attached: dict[str, set[str]] = {}
        declared = len([p for p in desired.policies if not p.aws_managed]) + 1
        if len(ids) * len(types) <= len(types) + 2 * declared:
            pairs = [(i, t) for i in sorted(ids) for t in types]
            listings = self.pool.map(
                lambda pair: self._pages(
                    "list_policies_for_target", "Policies", TargetId=pair[0], Filter=pair[1]
                ),
                pairs,
            )
            for (target_id, _), listing in zip(pairs, listings, strict=True):
                for summary in listing:
                    attached.setdefault(summary["Id"], set()).add(target_id)
        else:
            summaries = [
                s for t in types for s in self._pages("list_policies", "Policies", Filter=t)
            ]
            for summary, found in zip(
                summaries, self.pool.map(self._targets, (s["Id"] for s in summaries)), strict=True
            ):
                attached[summary["Id"]] = found & ids
        targeted = set()
        for policy in desired.policies:
            if policy.address in scope.policies:
                found_id = policy.id or self._policy_id(policy.type.aws_name, policy.name)
                if found_id:
                    targeted.add(found_id)
                    attached.setdefault(found_id, set()).update(self._targets(found_id) & ids)
        chosen = [i for i, on in attached.items() if on or i in targeted]
        described = self.pool.map(
            lambda i: self.context.call(self.client, "describe_policy", PolicyId=i)["Policy"],
            chosen,
        )
        return [
            _policy(item, attached[item["PolicySummary"]["Id"]], self.address_of)
            for item in described
        ]

    def _targets(self, policy_id: str) -> set[str]:
        found = self._pages("list_targets_for_policy", "Targets", PolicyId=policy_id)
        return {t["TargetId"] for t in found}

    def _policy_id(self, aws_type: str, name: str) -> str | None:
        found = self._pages("list_policies", "Policies", Filter=aws_type)
        return next((str(p["Id"]) for p in found if p["Name"] == name), None)


def _pick(wanted: Account, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    email = (wanted.email or "").lower()
    by_email = next((i for i in items if email and i.get("Email", "").lower() == email), None)
    return by_email or next((i for i in items if i["Name"] == wanted.name), None)


def _policy(item: dict[str, Any], on: set[str], address_of: dict[str, str]) -> Policy:
    targets = (Target.parse(address_of[t]) for t in sorted(on) if t in address_of)
    return policy_from(item["PolicySummary"], item["Content"], targets)
