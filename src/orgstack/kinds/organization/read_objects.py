"""The organization's objects as AWS answers them, turned into the model; and the few reads
every request shape makes the same way (tags, a parent, trusted access, delegated
administrators)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError
from orgstack.model import (
    Account,
    Organization,
    Policy,
    PolicyType,
    Target,
    minified,
)
from orgstack.model.guess import guess_purpose

POLICY_TYPES = {t.aws_name: t for t in PolicyType}
#: Read always (every organization may hold them, enabled or not); the other types only when
#: enabled on the root, so an organization without them costs no call for them.
ALWAYS_READ = (PolicyType.SERVICE_CONTROL.aws_name, PolicyType.TAG.aws_name)


def check_management(org: dict[str, Any], caller: str) -> None:
    """Refuse credentials of a member account."""
    if caller != org["MasterAccountId"]:
        raise AwsError(
            f"account {caller} is a member of organization {org['Id']}, not its management account",
            f"Run orgstack with credentials of the management account {org['MasterAccountId']}.",
        )


def enabled_types(root: dict[str, Any]) -> tuple[str, ...]:
    return tuple(t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED")


def read_types(root: dict[str, Any]) -> list[str]:
    """The policy types to read: those always read, then those enabled on the root."""
    enabled = enabled_types(root)
    return [*ALWAYS_READ, *(t for t in enabled if t in POLICY_TYPES and t not in ALWAYS_READ)]


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


def policy_on(
    summary: dict[str, Any], content: str, target_ids: Iterable[str], address_of: dict[str, str]
) -> Policy:
    """A policy with its targets by address (``address_of``: live id → address; targets the
    read did not see are left out)."""
    targets = (Target.parse(address_of[t]) for t in target_ids if t in address_of)
    return policy_from(summary, content, targets)


def read_tags(context: AwsContext, client: Any, resource_id: str) -> dict[str, str]:
    """An account's, OU's or the root's tags."""
    found = context.pages(client, "list_tags_for_resource", "Tags", ResourceId=resource_id)
    return {t["Key"]: t["Value"] for t in found}


def parent_of(context: AwsContext, client: Any, child_id: str) -> str:
    """The id of an account's or OU's parent (an OU or the root)."""
    return str(next(context.pages(client, "list_parents", "Parents", ChildId=child_id))["Id"])


def read_service_access(context: AwsContext, client: Any) -> tuple[str, ...]:
    return tuple(
        p["ServicePrincipal"]
        for p in context.pages(
            client, "list_aws_service_access_for_organization", "EnabledServicePrincipals"
        )
    )


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
