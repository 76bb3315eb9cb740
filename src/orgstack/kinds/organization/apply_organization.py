"""The organization itself and its policy types."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.apply.executors import tolerate
from orgstack.plan.model import Change


def create(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create the organization with all features; the caller becomes its management account.

    IAM actions: organizations:CreateOrganization, organizations:DescribeOrganization,
    organizations:ListRoots, iam:CreateServiceLinkedRole
    """
    created = tolerate(
        ctx, ("AlreadyInOrganizationException",), "create_organization", FeatureSet="ALL"
    )
    ctx.checkpoint(index, "called")
    organization = (
        created["Organization"] if created else ctx.call("describe_organization")["Organization"]
    )
    root = ctx.call("list_roots")["Roots"][0]["Id"]
    ctx.set_id("root", root)
    ctx.set_id("organization", organization["Id"])  # policies bound to the organization name it
    management = (change.after or {}).get("management_account")
    if management:  # its tags are set next, by the spec's name
        ctx.set_id(f"account:{management}", organization["MasterAccountId"])
    return {"id": organization["Id"], "root": root}


def enable(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Enable a policy type on the root.

    IAM actions: organizations:EnablePolicyType, organizations:ListRoots
    """
    policy_type = change.address.split(":", 1)[1]
    if "root" not in ctx.ids:
        ctx.set_id("root", ctx.call("list_roots")["Roots"][0]["Id"])
    tolerate(
        ctx,
        ("PolicyTypeAlreadyEnabledException",),
        "enable_policy_type",
        RootId=ctx.id_of("root"),
        PolicyType=policy_type,
    )
    ctx.checkpoint(index, "called")
    return {}
