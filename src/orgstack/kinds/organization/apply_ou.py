"""Organizational units: create (reusing one of the same name), rename, tags."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model import paths
from orgstack.plan.model import Change


def _parent(address: str) -> str:
    parent = paths.parent(address.split(":", 1)[1])
    return f"ou:{parent}" if parent else "root"


DUPLICATE = "DuplicateOrganizationalUnitException"


def _named(ctx: ExecContext, parent: str, name: str) -> dict[str, Any] | None:
    return next(
        (
            o
            for o in ctx.aws.pages(
                ctx.orgs,
                "list_organizational_units_for_parent",
                "OrganizationalUnits",
                ParentId=parent,
            )
            if o["Name"] == name
        ),
        None,
    )


def create(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create an OU under its parent; one of that name already there is taken (idempotent).

    IAM actions: organizations:CreateOrganizationalUnit,
    organizations:ListOrganizationalUnitsForParent, organizations:TagResource
    """
    after = change.after or {}
    parent = ctx.id_of(_parent(change.address))
    existing = _named(ctx, parent, after["name"])
    if existing is None:
        tags = [{"Key": k, "Value": v} for k, v in after.get("tags", {}).items()]
        try:
            created = ctx.call(
                "create_organizational_unit", ParentId=parent, Name=after["name"], Tags=tags
            )
            ou_id = created["OrganizationalUnit"]["Id"]
        except AwsError as exc:
            # A retried call whose first answer was lost: AWS made the OU, then refuses the
            # same name under the same parent. Take the one it made.
            found = _named(ctx, parent, after["name"]) if exc.code == DUPLICATE else None
            if found is None:
                raise
            ou_id = found["Id"]
            set_tags(ctx, ou_id, after.get("tags", {}))
        ctx.checkpoint(index, "called")
    else:
        ou_id = existing["Id"]
        set_tags(ctx, ou_id, after.get("tags", {}))
    ctx.set_id(change.address, ou_id)
    return {"id": ou_id}


def update(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Rename an OU.

    IAM actions: organizations:UpdateOrganizationalUnit
    """
    ou_id = ctx.id_of(change.address)
    ctx.call(
        "update_organizational_unit", OrganizationalUnitId=ou_id, Name=(change.after or {})["name"]
    )
    ctx.checkpoint(index, "called")
    return {"id": ou_id}


def set_tags(ctx: ExecContext, resource: str, tags: dict[str, str]) -> None:
    if tags:
        ctx.call(
            "tag_resource",
            ResourceId=resource,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )


def tag(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set tags on an OU or account.

    IAM actions: organizations:TagResource
    """
    resource = ctx.id_of(change.address)
    set_tags(ctx, resource, change.after or {})
    ctx.checkpoint(index, "called")
    return {"id": resource}


def untag(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Remove tags from an OU or account.

    IAM actions: organizations:UntagResource
    """
    resource = ctx.id_of(change.address)
    ctx.call("untag_resource", ResourceId=resource, TagKeys=sorted((change.before or {}).keys()))
    ctx.checkpoint(index, "called")
    return {"id": resource}
