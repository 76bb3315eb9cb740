"""Read the organization layer: organization, root, OU tree, accounts, policies, tags.

Calls, for an organization of P parents (root + OUs), A accounts and N policies:
DescribeOrganization, ListRoots, then per parent ListOrganizationalUnitsForParent and
ListAccountsForParent (one page each per 20 children; the per-OU listing is the floor, as no
call returns accounts with their parents), ListPolicies per policy type, per policy
DescribePolicy and ListTargetsForPolicy, ListAWSServiceAccessForOrganization,
ListDelegatedAdministrators, and ListTagsForResource only for the objects asked for.
Never ListParents or ListPoliciesForTarget per account. Each tree level is listed concurrently.

IAM actions: organizations:DescribeOrganization, organizations:ListRoots,
organizations:ListOrganizationalUnitsForParent, organizations:ListAccountsForParent,
organizations:ListPolicies, organizations:DescribePolicy, organizations:ListTargetsForPolicy,
organizations:ListAWSServiceAccessForOrganization, organizations:ListDelegatedAdministrators,
organizations:ListDelegatedServicesForAccount, organizations:ListTagsForResource,
sts:GetCallerIdentity
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError, NotInOrganizationError
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
TagsFor = Callable[[OrgModel], Iterable[str]]


def read_organization(context: AwsContext, tags_for: TagsFor | None = None) -> OrgModel | None:
    """The live organization as a model, or None when the caller is in no organization.

    ``tags_for`` picks the ids (OU or account) whose tags to read: tags cost one call per
    object, so only what the spec manages is read.
    """
    client = context.client("organizations")
    try:
        org = context.call(client, "describe_organization")["Organization"]
    except NotInOrganizationError:
        return None
    caller = context.caller_account()
    if caller != org["MasterAccountId"]:
        raise AwsError(
            f"account {caller} is a member of organization {org['Id']}, not its management account",
            f"Run orgstack with credentials of the management account {org['MasterAccountId']}.",
        )
    root = next(context.pages(client, "list_roots", "Roots"))
    enabled = tuple(t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED")
    with ThreadPoolExecutor(max_workers=context.options.max_workers) as pool:
        ous, accounts, ids = _read_tree(context, client, pool, root["Id"], org["MasterAccountId"])
        types = [
            *ALWAYS_READ,
            *(t for t in enabled if t in POLICY_TYPES and t not in ALWAYS_READ),
        ]
        policies = _read_policies(context, client, pool, ids, types)
        access = pool.submit(
            lambda: tuple(
                p["ServicePrincipal"]
                for p in context.pages(
                    client, "list_aws_service_access_for_organization", "EnabledServicePrincipals"
                )
            )
        )
        admins = pool.submit(_read_delegated_admins, context, client)
        organization = Organization(
            name=org["Id"],
            home_region="",
            allowed_regions=(),
            email_pattern=None,
            feature_set=org["FeatureSet"],
            id=org["Id"],
            management_account_id=org["MasterAccountId"],
            root_id=root["Id"],
            policy_types=enabled,
            service_access=access.result(),
            delegated_admins=admins.result(),
        )
        model = OrgModel(organization, tuple(ous), tuple(accounts), tuple(policies))
        if tags_for is not None:
            model = _with_tags(context, client, pool, model, set(tags_for(model)))
    return model


def _read_tree(
    context: AwsContext, client: Any, pool: ThreadPoolExecutor, root_id: str, management_id: str
) -> tuple[list[OrganizationalUnit], list[Account], dict[str, str]]:
    """Breadth first, one level at a time, every parent of a level listed concurrently."""

    def listing(operation: str, key: str, parent_id: str) -> list[dict[str, Any]]:
        return list(context.pages(client, operation, key, ParentId=parent_id))

    ous: list[OrganizationalUnit] = []
    accounts: list[Account] = []
    ids = {root_id: "root"}  # live id → address
    level = [(root_id, "")]
    while level:
        children = [
            pool.submit(listing, "list_organizational_units_for_parent", "OrganizationalUnits", pid)
            for pid, _ in level
        ]
        members = [
            pool.submit(listing, "list_accounts_for_parent", "Accounts", pid) for pid, _ in level
        ]
        next_level = []
        for (_, path), found_ous, found_accounts in zip(level, children, members, strict=True):
            for item in found_accounts.result():
                accounts.append(_account(item, path or "root", management_id))
                ids[item["Id"]] = f"account:{item['Name']}"
            for item in found_ous.result():
                child = paths.join(path, item["Name"])
                ous.append(OrganizationalUnit(child, id=item["Id"]))
                ids[item["Id"]] = f"ou:{child}"
                next_level.append((item["Id"], child))
        level = next_level
    return ous, accounts, ids


def account_state(item: dict[str, Any]) -> str | None:
    """An account's state: ``State`` (ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE,
    CLOSED), or the ``Status`` AWS is retiring for it where only that is given."""
    found = item.get("State") or item.get("Status")
    return str(found) if found else None


def _account(item: dict[str, Any], ou: str, management_id: str) -> Account:
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


def _read_policies(
    context: AwsContext,
    client: Any,
    pool: ThreadPoolExecutor,
    ids: dict[str, str],
    types: list[str],
) -> list[Policy]:
    summaries = [
        summary
        for aws_type in types
        for summary in context.pages(client, "list_policies", "Policies", Filter=aws_type)
    ]

    def one(summary: dict[str, Any]) -> Policy:
        # Never wait on the pool from inside it: a full pool would deadlock.
        described = context.call(client, "describe_policy", PolicyId=summary["Id"])
        targets = [
            Target.parse(ids[t["TargetId"]])
            for t in context.pages(
                client, "list_targets_for_policy", "Targets", PolicyId=summary["Id"]
            )
            if t["TargetId"] in ids
        ]
        content = json.loads(described["Policy"]["Content"])
        return Policy(
            name=summary["Name"],
            type=POLICY_TYPES[summary["Type"]],
            content=minified(content),
            description=summary.get("Description", ""),
            targets=tuple(targets),
            aws_managed=bool(summary.get("AwsManaged")),
            id=summary["Id"],
        )

    return list(pool.map(one, summaries))


def _read_delegated_admins(context: AwsContext, client: Any) -> tuple[tuple[str, str], ...]:
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
    return tuple(pairs)


def _with_tags(
    context: AwsContext, client: Any, pool: ThreadPoolExecutor, model: OrgModel, wanted: set[str]
) -> OrgModel:
    def tags(resource_id: str) -> dict[str, str]:
        found = context.pages(client, "list_tags_for_resource", "Tags", ResourceId=resource_id)
        return {t["Key"]: t["Value"] for t in found}

    root_id = model.organization.root_id
    root_tags = pool.submit(tags, root_id) if root_id and root_id in wanted else None
    ou_tags = {o.id: pool.submit(tags, o.id) for o in model.ous if o.id in wanted}
    account_tags = {a.id: pool.submit(tags, a.id) for a in model.accounts if a.id in wanted}
    organization = model.organization
    if root_tags is not None:
        organization = replace(organization, root_tags=root_tags.result())
    return replace(
        model,
        organization=organization,
        ous=tuple(
            replace(o, tags=ou_tags[o.id].result()) if o.id in ou_tags else o for o in model.ous
        ),
        accounts=tuple(
            replace(a, tags=account_tags[a.id].result()) if a.id in account_tags else a
            for a in model.accounts
        ),
    )
