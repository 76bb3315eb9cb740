"""``orgstack access --verify``: prove on the sandbox that every granted role is assumable
with MFA, and every other orgstack role refused, for every user of the spec (IAM mode).

The sandbox must check AssumeRole (``orgstack sandbox start --enforce-iam``): moto alone lets
anyone assume anything. For the proof each user gets, in the sandbox only, an access key and
a virtual MFA device, which are removed afterwards; they live in memory and are never printed,
logged or written. Calls per user: CreateAccessKey, CreateVirtualMFADevice, EnableMFADevice,
then for every (account, orgstack role) one AssumeRole with MFA and, for a granted role that
requires MFA, one without; then the key and the device are deleted.

IAM actions: iam:CreateAccessKey, iam:DeleteAccessKey, iam:CreateVirtualMFADevice,
iam:EnableMFADevice, iam:DeactivateMFADevice, iam:DeleteVirtualMFADevice, sts:AssumeRole
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from orgstack.aws.context import AwsContext, AwsOptions
from orgstack.aws.errors import AwsError
from orgstack.errors import UsageError
from orgstack.kinds.access.view import entries_for
from orgstack.model.access import IAM, role_name
from orgstack.spec.loader import load_spec

#: Any six digits pass the sandbox's MFA check (a device's real code cannot be had there).
TOKEN = "123456"


@dataclass(frozen=True)
class Probe:
    """One (user, account, role): what the matrix grants and what AWS (the sandbox) did."""

    user: str
    account: str
    role: str
    granted: bool
    mfa_required: bool
    with_mfa: bool
    without_mfa: bool | None  # None: not tried (not granted, or granted without MFA)

    @property
    def ok(self) -> bool:
        if self.with_mfa != self.granted:
            return False
        return not (self.granted and self.mfa_required and self.without_mfa)


@dataclass(frozen=True)
class Verification:
    probes: tuple[Probe, ...]

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.probes)


def verify(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    enforcing: bool,
    context: AwsContext | None = None,
) -> Verification:
    """Try every (user, account, orgstack role) of the spec and compare with the matrix."""
    from orgstack.live.organization import read_organization
    from orgstack.plan.match import matched_ids

    if not enforcing:
        raise UsageError(
            "--verify needs a sandbox that checks AssumeRole as AWS does",
            "Restart it with `orgstack sandbox stop && orgstack sandbox start --enforce-iam`.",
        )
    desired = load_spec(spec_path)
    access = desired.access
    if access is None or access.mode != IAM:
        raise UsageError(
            "--verify proves IAM switch-role access; this spec has "
            + ("no access: section" if access is None else "access.mode identity-center"),
            "Identity Center assignments are checked by `orgstack plan` (drift).",
        )
    context = context or AwsContext(options)
    live = read_organization(context)
    ids = matched_ids(desired, live) if live is not None else {}
    identity = ids.get(f"account:{access.identity_account}")
    if identity is None or identity != context.caller_account():
        raise UsageError(
            "--verify runs from the identity account (the management account by default)",
            "Apply the spec first; run it with the sandbox's own credentials.",
        )
    roles = sorted({role_name(level.name) for level in access.levels})
    accounts = [(a.name, ids[a.address]) for a in desired.accounts if a.address in ids]
    iam = context.client("iam")
    probes: list[Probe] = []
    for user in access.users:
        granted = {(e.account, e.role): e for e in entries_for(desired, user.name, ids)}
        with _Credentials(context, iam, user.name) as (sts, serial):
            for account, account_id in accounts:
                for role in roles:
                    entry = granted.get((account, role))
                    arn = f"arn:aws:iam::{account_id}:role/{role}"
                    with_mfa = _assume(sts, arn, serial)
                    without = _assume(sts, arn, None) if entry and entry.mfa else None
                    probes.append(
                        Probe(
                            user.name,
                            account,
                            role,
                            entry is not None,
                            bool(entry and entry.mfa),
                            with_mfa,
                            without,
                        )
                    )
    return Verification(tuple(probes))


def _assume(sts: Any, role_arn: str, serial: str | None) -> bool:
    mfa = {"SerialNumber": serial, "TokenCode": TOKEN} if serial else {}
    try:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="orgstack-verify", **mfa)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "AccessDenied":
            return False
        raise
    return True


class _Credentials:
    """A user's access key and MFA device for the proof, removed on the way out."""

    def __init__(self, context: AwsContext, iam: Any, user: str) -> None:
        self.context, self.iam, self.user = context, iam, user
        self.key: str | None = None
        self.serial: str | None = None

    def __enter__(self) -> tuple[Any, str]:
        import boto3

        call, user = self.context.call, self.user
        try:
            key = call(self.iam, "create_access_key", UserName=user)["AccessKey"]
        except AwsError as exc:
            raise UsageError(
                f"user {user} does not exist in the sandbox ({exc.code})",
                "Apply the spec first (`orgstack apply --sandbox`).",
            ) from None
        self.key = key["AccessKeyId"]
        device = call(
            self.iam, "create_virtual_mfa_device", VirtualMFADeviceName=f"orgstack-verify-{user}"
        )["VirtualMFADevice"]
        self.serial = str(device["SerialNumber"])
        call(
            self.iam,
            "enable_mfa_device",
            UserName=user,
            SerialNumber=self.serial,
            AuthenticationCode1=TOKEN,
            AuthenticationCode2="654321",
        )
        sts = boto3.client(
            "sts",
            endpoint_url=self.context.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
        )
        return sts, self.serial

    def __exit__(self, *_: object) -> None:
        call, user = self.context.call, self.user
        if self.serial:
            call(self.iam, "deactivate_mfa_device", UserName=user, SerialNumber=self.serial)
            call(self.iam, "delete_virtual_mfa_device", SerialNumber=self.serial)
        if self.key:
            call(self.iam, "delete_access_key", UserName=user, AccessKeyId=self.key)
