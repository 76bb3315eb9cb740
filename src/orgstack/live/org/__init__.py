"""The organization reader: OUs, accounts, policies, tags, trusted access and delegated
administrators, for every request shape (``request.OrgRequest``): the whole organization,
a partial plan's scope, or the objects a plan's fingerprints name. One entry, one head
(DescribeOrganization, the caller's account, ListRoots, trusted access, delegated
administrators), one set of object reads (``objects``, ``tree``, ``lookups``); the shapes
(``whole``, ``scoped``, ``touched``) choose what to read.

IAM actions: organizations:DescribeOrganization, organizations:ListRoots,
organizations:ListOrganizationalUnitsForParent, organizations:ListAccountsForParent,
organizations:ListAccounts, organizations:DescribeAccount,
organizations:DescribeOrganizationalUnit, organizations:ListParents,
organizations:ListPolicies, organizations:ListPoliciesForTarget, organizations:DescribePolicy,
organizations:ListTargetsForPolicy, organizations:ListAWSServiceAccessForOrganization,
organizations:ListDelegatedAdministrators, organizations:ListDelegatedServicesForAccount,
organizations:ListTagsForResource, sts:GetCallerIdentity
"""

from __future__ import annotations

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import NotInOrganizationError
from orgstack.aws.pool import PriorityPool
from orgstack.errors import OrgstackError
from orgstack.live.org.head import Head
from orgstack.live.org.objects import OnTree, TagSelector, check_management, every_tag
from orgstack.live.org.request import OrgRequest, Wanted
from orgstack.live.org.scoped import read_scoped
from orgstack.live.org.touched import cheaper, read_touched, wanted_from
from orgstack.live.org.whole import read_whole
from orgstack.model import OrgModel

__all__ = [
    "OnTree",
    "OrgRequest",
    "TagSelector",
    "Wanted",
    "cheaper",
    "every_tag",
    "read_organization",
    "wanted_from",
]


def read_organization(context: AwsContext, request: OrgRequest | None = None) -> OrgModel | None:
    """The live organization as ``request`` asks for it (the whole of it by default, without
    tags), or None when the caller is in no organization (a scope then is an error: there is
    nothing to read a part of)."""
    request = request or OrgRequest()
    client = context.client("organizations")
    with PriorityPool(context.options.max_workers) as pool:
        caller = pool.submit(context.caller_account)
        try:
            org = context.call(client, "describe_organization")["Organization"]
        except NotInOrganizationError:
            if request.scope is not None:
                raise OrgstackError(
                    "--target needs an organization, and this account is in none yet",
                    "Plan the whole spec first (without --target): it creates the organization.",
                ) from None
            if request.on_tree is not None:
                request.on_tree(None)
            return None
        check_management(org, caller.result())
        head = Head(context, client, pool, org)
        if request.scope is not None:
            return read_scoped(head, request)
        if request.touched is not None:
            return read_touched(head, request)
        return read_whole(head, request)
