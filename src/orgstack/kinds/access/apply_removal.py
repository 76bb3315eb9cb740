"""Deleting access objects that left the spec (only with --allow-delete): IAM groups and users
in the identity account, Identity Center groups. What they granted was revoked in every plan
before (``Removal.REVOKE``); deleting also clears what AWS requires gone first. Idempotent: an
object already gone is done."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.apply.executors import tolerate
from orgstack.aws.errors import AwsError
from orgstack.kinds.access.apply_parts import iam, parts, store_client
from orgstack.kinds.access.read import STORE
from orgstack.plan.model import Change


def _gone(exc: AwsError) -> bool:
    return exc.code in ("NoSuchEntity", "ResourceNotFoundException")


def delete_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete an IAM group orgstack made: its members, inline and attached policies first.

    IAM actions: iam:GetGroup, iam:RemoveUserFromGroup, iam:ListGroupPolicies,
    iam:DeleteGroupPolicy, iam:ListAttachedGroupPolicies, iam:DetachGroupPolicy,
    iam:DeleteGroup
    """
    account, name = parts(change)
    client = iam(ctx, account)
    try:
        users = [u["UserName"] for u in ctx.aws.call(client, "get_group", GroupName=name)["Users"]]
    except AwsError as exc:
        if _gone(exc):
            return {}
        raise
    for user in users:
        ctx.aws.call(client, "remove_user_from_group", GroupName=name, UserName=user)
    for policy in ctx.aws.call(client, "list_group_policies", GroupName=name)["PolicyNames"]:
        ctx.aws.call(client, "delete_group_policy", GroupName=name, PolicyName=policy)
    attached = ctx.aws.call(client, "list_attached_group_policies", GroupName=name)
    for policy in attached["AttachedPolicies"]:
        ctx.aws.call(client, "detach_group_policy", GroupName=name, PolicyArn=policy["PolicyArn"])
    tolerate(ctx, ("NoSuchEntity",), "delete_group", client=client, GroupName=name)
    ctx.checkpoint(index, "called")
    return {}


def delete_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete an IAM user orgstack made (only with --allow-delete: the person loses their
    password, access keys and MFA devices). AWS refuses to delete a user that still has any of
    them, policies or groups, so those go first, in AWS's documented order. No secret is read:
    only key and device ids.

    IAM actions: iam:GetUser, iam:DeleteLoginProfile, iam:ListAccessKeys, iam:DeleteAccessKey,
    iam:ListSigningCertificates, iam:DeleteSigningCertificate, iam:ListSSHPublicKeys,
    iam:DeleteSSHPublicKey, iam:ListServiceSpecificCredentials,
    iam:DeleteServiceSpecificCredential, iam:ListMFADevices, iam:DeactivateMFADevice,
    iam:DeleteVirtualMFADevice, iam:ListUserPolicies, iam:DeleteUserPolicy,
    iam:ListAttachedUserPolicies, iam:DetachUserPolicy, iam:DeleteUserPermissionsBoundary,
    iam:ListGroupsForUser, iam:RemoveUserFromGroup, iam:DeleteUser
    """
    account, name = parts(change)
    client = iam(ctx, account)
    call = ctx.aws.call
    try:
        user = call(client, "get_user", UserName=name)["User"]
    except AwsError as exc:
        if _gone(exc):
            return {}
        raise
    tolerate(ctx, ("NoSuchEntity",), "delete_login_profile", client=client, UserName=name)
    for key in call(client, "list_access_keys", UserName=name)["AccessKeyMetadata"]:
        call(client, "delete_access_key", UserName=name, AccessKeyId=key["AccessKeyId"])
    for cert in call(client, "list_signing_certificates", UserName=name)["Certificates"]:
        call(
            client, "delete_signing_certificate", UserName=name, CertificateId=cert["CertificateId"]
        )
    for key in call(client, "list_ssh_public_keys", UserName=name)["SSHPublicKeys"]:
        call(client, "delete_ssh_public_key", UserName=name, SSHPublicKeyId=key["SSHPublicKeyId"])
    credentials = call(client, "list_service_specific_credentials", UserName=name)
    for cred in credentials.get("ServiceSpecificCredentials", []):
        call(
            client,
            "delete_service_specific_credential",
            UserName=name,
            ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"],
        )
    for device in call(client, "list_mfa_devices", UserName=name)["MFADevices"]:
        serial = device["SerialNumber"]
        call(client, "deactivate_mfa_device", UserName=name, SerialNumber=serial)
        if ":mfa/" in serial:  # a virtual device (hardware serials are not ARNs)
            tolerate(
                ctx,
                ("NoSuchEntity",),
                "delete_virtual_mfa_device",
                client=client,
                SerialNumber=serial,
            )
    for policy in call(client, "list_user_policies", UserName=name)["PolicyNames"]:
        call(client, "delete_user_policy", UserName=name, PolicyName=policy)
    for policy in call(client, "list_attached_user_policies", UserName=name)["AttachedPolicies"]:
        call(client, "detach_user_policy", UserName=name, PolicyArn=policy["PolicyArn"])
    if user.get("PermissionsBoundary"):
        call(client, "delete_user_permissions_boundary", UserName=name)
    for group in call(client, "list_groups_for_user", UserName=name)["Groups"]:
        call(client, "remove_user_from_group", UserName=name, GroupName=group["GroupName"])
    tolerate(ctx, ("NoSuchEntity",), "delete_user", client=client, UserName=name)
    ctx.checkpoint(index, "called")
    return {}


def delete_sso_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete an Identity Center group orgstack made (after its assignments were detached:
    the plan orders them first). Deleting a group removes its memberships.

    IAM actions: identitystore:DeleteGroup
    """
    tolerate(
        ctx,
        ("ResourceNotFoundException",),
        "delete_group",
        client=store_client(ctx),
        IdentityStoreId=ctx.id_of(STORE),
        GroupId=ctx.id_of(change.address),
    )
    ctx.checkpoint(index, "called")
    return {}
