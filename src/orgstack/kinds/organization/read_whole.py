"""The whole organization: the tree walked from the root, every policy with its targets.

Calls, for an organization of P parents (root + OUs), A accounts and N policies: ListRoots,
then per parent ListOrganizationalUnitsForParent and ListAccountsForParent (one page each per
20 children; the per-OU listing is the floor, as no call returns accounts with their
parents), ListPolicies per policy type, per policy DescribePolicy and ListTargetsForPolicy,
and ListTagsForResource only for the objects asked for. Never ListParents or
ListPoliciesForTarget per account. Every read starts as soon as what it needs is known (no
waiting for a whole tree level).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.kinds.organization.read_head import Head
from orgstack.kinds.organization.read_objects import (
    ALWAYS_READ,
    account_from,
    policy_on,
    read_types,
)
from orgstack.kinds.organization.read_tree import Tree
from orgstack.kinds.organization.vocabulary import OrgRequest
from orgstack.model import OrgModel


def read_whole(head: Head, request: OrgRequest) -> OrgModel:
    """Policies, trusted access and delegated administrators start with the tree's first
    listing, each parent's children as soon as the parent is listed, an object's tags as soon
    as it is."""
    context, client, pool, on_tree = head.context, head.client, head.pool, request.on_tree
    listed = (
        pool.submit(lambda: list(context.pages(client, "list_accounts", "Accounts")))
        if request.early and on_tree is not None
        else None
    )
    summaries = [pool.submit(_policy_summaries, context, client, t) for t in ALWAYS_READ]
    head.start()
    root = head.root()
    summaries += [
        pool.submit(_policy_summaries, context, client, t)
        for t in read_types(root)
        if t not in ALWAYS_READ
    ]
    tree = Tree(context, client, pool, root["Id"], head.management_id, request.tags)
    described = [
        pool.submit(_described, context, client, summary)
        for found in summaries
        for summary in found.result()
    ]
    organization = head.organization()
    if listed is not None and on_tree is not None:
        found = tuple(account_from(item, "?", head.management_id) for item in listed.result())
        on_tree(OrgModel(organization, (), found, ()))
    ous, accounts = tree.wait()
    model = OrgModel(organization, tuple(ous), tuple(accounts), ())
    if listed is None and on_tree is not None:
        on_tree(model)
    policies = [policy_on(*future.result(), tree.ids) for future in described]
    return tree.tagged(replace(model, policies=tuple(policies)))


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
