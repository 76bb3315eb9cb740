"""RAM as the network needs it (a shim with a test and a line in docs/sandbox.md): sharing
within the organization is enabled as AWS does it (its service-linked role, trusted access) and
needed before a share with the organization or an OU; and which Transit Gateways other accounts
share with an account (the network shims attach through them)."""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.ec2.models import ec2_backends
from moto.ram.models import ResourceAccessManagerBackend, ResourceShare, ram_backends

from orgstack.sandbox.shims.gaps import kept, organization_of, replace_method

RAM = "ram.amazonaws.com"
RAM_ROLE = "AWSServiceRoleForResourceAccessManager"
NOT_WITHIN = (
    "The resource you are attempting to share can only be shared within your AWS Organization. "
    "This error may also occur if you have not enabled sharing with your AWS organization, or "
    "that onboarding process is still in progress."
)


def wrap(owner: Any, name: str, shim: Any) -> None:
    """``shim`` in place of ``owner.name``, the method it replaces kept as ``shim.original``."""
    original = getattr(owner, name)
    if replace_method(owner, name, shim):
        shim.original = original


def _sharing_on(account_id: str) -> bool:
    org = organization_of(account_id)
    return org is not None and bool(kept(org, "orgstack_ram").get("sharing"))


def _enable_sharing(self: Any) -> dict[str, Any]:
    from moto.iam.models import iam_backends

    answer: dict[str, Any] = _enable_sharing.original(self)  # type: ignore[attr-defined]
    org = organization_of(self.account_id)
    kept(org, "orgstack_ram")["sharing"] = True
    org.enable_aws_service_access(ServicePrincipal=RAM)
    iam = iam_backends[self.account_id][self.partition]
    if RAM_ROLE not in {r.name for r in iam.roles.values()}:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": RAM}, "Action": "sts:AssumeRole"}
            ],
        }
        iam.create_role(
            RAM_ROLE, json.dumps(trust), f"/aws-service-role/{RAM}/", None,
            "RAM's service-linked role", [], None, linked_service=RAM,
        )  # fmt: skip
    return answer


def _add_principals(self: Any, principals: list[str]) -> None:
    """The organization and its OUs checked against the share owner's organization (moto
    looks in the owner's own, empty, backend), and only once sharing is on."""
    from moto.ram.exceptions import UnknownResourceException

    org_like = [p for p in principals if ":organization/" in p or ":ou/" in p]
    if org_like and not _sharing_on(self.account_id):
        raise JsonRESTError("OperationNotPermittedException", NOT_WITHIN)
    org = organization_of(self.account_id)
    for principal in org_like:
        known = principal == org.org.arn or any(ou.arn == principal for ou in org.ou)
        if not known:
            raise UnknownResourceException(f"{principal} could not be found.")
    _add_principals.original(self, [p for p in principals if p not in org_like])  # type: ignore[attr-defined]
    self.principals.extend(org_like)


def ram_sharing_with_organization() -> None:
    """EnableSharingWithAwsOrganization does what AWS's does; sharing with the organization
    before it is refused."""
    cls = ResourceAccessManagerBackend
    wrap(cls, "enable_sharing_with_aws_organization", _enable_sharing)
    wrap(ResourceShare, "add_principals", _add_principals)


def _reaches(principal: str, account_id: str) -> bool:
    """Whether a share's principal covers ``account_id`` (the account, its organization, or an
    OU above it)."""
    if principal == account_id:
        return True
    org = organization_of(account_id)
    if org is None:
        return False
    if principal == org.org.arn:
        return True
    try:
        parent = org.get_account_by_id(account_id).parent_id
    except Exception:
        return False
    ous = {ou.id: ou for ou in org.ou}
    while parent in ous:
        if ous[parent].arn == principal:
            return True
        parent = ous[parent].parent_id
    return False


def shared_gateways(account_id: str, region: str) -> list[Any]:
    """The gateways other accounts share with ``account_id`` in ``region`` through RAM."""
    found = []
    for owner, by_region in list(ram_backends.items()):
        if owner == account_id:
            continue
        for ram_region, ram in list(by_region.items()):
            if ram_region != region:
                continue
            for share in ram.resource_shares:
                if share.status != "ACTIVE" or not any(
                    _reaches(p, account_id) for p in share.principals
                ):
                    continue
                ec2 = ec2_backends[owner][region]
                for arn in share.resource_arns:
                    gateway_id = arn.rsplit("/", 1)[-1]
                    if ":transit-gateway/" in arn and gateway_id in ec2.transit_gateways:
                        found.append(ec2.transit_gateways[gateway_id])
    return found
