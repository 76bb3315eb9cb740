"""The organization reader: OUs, accounts, policies, tags, trusted access and delegated
administrators, for every request shape (``vocabulary.OrgRequest``): the whole organization,
a partial plan's scope, or the objects a plan's fingerprints name. One entry, one head
(DescribeOrganization, the caller's account, ListRoots, trusted access, delegated
administrators: ``read_head``), one set of object reads (``read_objects``, ``read_tree``,
``read_lookups``); the shapes (``read_whole``, ``read_scoped``, ``read_touched``) choose
what to read, never how.

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
from orgstack.kinds.organization.read_head import Head
from orgstack.kinds.organization.read_objects import check_management
from orgstack.kinds.organization.read_scoped import read_scoped
from orgstack.kinds.organization.read_touched import read_touched
from orgstack.kinds.organization.read_whole import read_whole
from orgstack.kinds.organization.vocabulary import OrgRequest
from orgstack.model import OrgModel


def read(ctx: AwsContext, request: OrgRequest) -> OrgModel | None:
    """The live organization as ``request`` asks for it, or None when the caller is in no
    organization (a scope then is an error: there is nothing to read a part of)."""
    client = ctx.client("organizations")
    with PriorityPool(ctx.options.max_workers) as pool:
        caller = pool.submit(ctx.caller_account)
        try:
            org = ctx.call(client, "describe_organization")["Organization"]
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
        head = Head(ctx, client, pool, org)
        if request.scope is not None:
            return read_scoped(head, request)
        if request.touched is not None:
            return read_touched(head, request)
        return read_whole(head, request)
