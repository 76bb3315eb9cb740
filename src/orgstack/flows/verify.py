"""``orgstack access --verify``: prove on the sandbox that every granted role is assumable
with MFA, and every other orgstack role refused, for every user of the spec (IAM mode), in
every active account of the organization (the spec's and any other: access must end where
the spec ends); and, for a user whose management-account level may assume the organization
access role (LZ222), that the chain reaches each member account as the matrix's reach says.

The sandbox must check AssumeRole (``orgstack sandbox start --enforce-iam``): moto alone lets
anyone assume anything. For the proof each user gets, in the sandbox only, an access key and
a virtual MFA device, which are removed afterwards; they live in memory and are never printed,
logged or written. Calls per user: CreateAccessKey, CreateVirtualMFADevice, EnableMFADevice,
then for every (account, orgstack role) one AssumeRole with MFA and, for a granted role that
requires MFA, one without; then the key and the device are deleted.

IAM actions: iam:CreateAccessKey, iam:DeleteAccessKey, iam:CreateVirtualMFADevice,
iam:EnableMFADevice, iam:DeactivateMFADevice, iam:DeleteVirtualMFADevice,
iam:ListVirtualMFADevices, sts:AssumeRole
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from orgstack.aws.context import AwsContext, AwsOptions
from orgstack.aws.errors import AwsError
from orgstack.errors import UsageError
from orgstack.kinds.access.matrix import entries_for
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


def verify_access(
    spec_path: str | Path | None,
    options: AwsOptions,
    *,
    enforcing: bool,
    context: AwsContext | None = None,
) -> Verification:
    """Try every (user, account, orgstack role) of the spec and compare with the matrix."""
    from orgstack.kinds.organization.vocabulary import OrgRequest
    from orgstack.plan.match import matched_ids
    from orgstack.registry import core_kind

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
    live = core_kind().read_organization(context, OrgRequest())
    ids = matched_ids(desired, live) if live is not None else {}
    identity = ids.get(f"account:{access.identity_account}")
    if identity is None or identity != context.caller_account():
        raise UsageError(
            "--verify runs from the identity account (the management account by default)",
            "Apply the spec first; run it with the sandbox's own credentials.",
        )
    roles = sorted({role_name(level.name) for level in access.levels})
    accounts = [(a.name, ids[a.address]) for a in desired.accounts if a.address in ids]
    # Every other active account too: a role orgstack left there must refuse everyone.
    known = {i for _, i in accounts}
    for other in live.accounts if live is not None else ():
        if other.id and other.id not in known and other.status in (None, "ACTIVE"):
            accounts.append((other.name, other.id))
    iam = context.client("iam")
    probes: list[Probe] = []
    management = desired.management
    escalating = (
        access.escalations(management.name, desired.organization.access_role)
        if management is not None
        else []
    )
    for user in access.users:
        granted = {(e.account, e.role): e for e in entries_for(desired, user.name, ids)}
        chains = [g for g in escalating if g.group in access.groups_of(user.name)]
        with _Credentials(context, iam, user.name) as (sts, serial):
            home = ids.get(management.address, "") if management is not None else ""
            for grant in chains[:1] if home else []:
                probes += _chain(
                    user.name,
                    sts,
                    serial,
                    f"arn:aws:iam::{home}:role/{role_name(grant.level)}",
                    desired.organization.access_role,
                    [(n, i) for n, i in accounts if i != home],
                    context,
                )
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


def _chain(
    user: str,
    sts: Any,
    serial: str,
    first: str,
    access_role: str,
    members: list[tuple[str, str]],
    context: AwsContext,
) -> list[Probe]:
    """The reach LZ222 names, tried: the management role, then the access role of each
    member account from its session (each a probe the matrix's reach expects to succeed)."""

    label = f"{first.rsplit('/', 1)[-1]} → {access_role}"
    try:
        creds = sts.assume_role(
            RoleArn=first, RoleSessionName="orgstack-verify", SerialNumber=serial, TokenCode=TOKEN
        )["Credentials"]
    except ClientError:
        return [Probe(user, name, label, True, False, False, None) for name, _ in members]
    hop = _sts(context, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    return [
        Probe(
            user,
            name,
            label,
            True,
            False,
            _assume(hop, f"arn:aws:iam::{account_id}:role/{access_role}", None),
            None,
        )
        for name, account_id in members
    ]


def _sts(context: AwsContext, key: str, secret: str, token: str | None = None) -> Any:
    """An STS client with a probe's own credentials, at the sandbox's endpoint."""
    import boto3

    return boto3.client(
        "sts",
        endpoint_url=context.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


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
        try:
            return self._make()
        except BaseException:  # Ctrl-C included: leave nothing behind
            self.__exit__()
            raise

    def _leftover(self) -> None:
        """Remove the device an interrupted run left (the next would fail on its name)."""
        call, name = self.context.call, f"orgstack-verify-{self.user}"
        for page in self.context.page_list(self.iam, "list_virtual_mfa_devices"):
            for device in page.get("VirtualMFADevices", []):
                if not str(device["SerialNumber"]).endswith(f"/{name}"):
                    continue
                if device.get("User"):
                    call(
                        self.iam,
                        "deactivate_mfa_device",
                        UserName=self.user,
                        SerialNumber=device["SerialNumber"],
                    )
                call(self.iam, "delete_virtual_mfa_device", SerialNumber=device["SerialNumber"])

    def _make(self) -> tuple[Any, str]:

        call, user = self.context.call, self.user
        self._leftover()
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
        return _sts(self.context, key["AccessKeyId"], key["SecretAccessKey"]), self.serial

    def __exit__(self, *_: object) -> None:
        call, user = self.context.call, self.user
        if self.serial:
            try:
                call(self.iam, "deactivate_mfa_device", UserName=user, SerialNumber=self.serial)
            except AwsError as exc:  # interrupted before it was enabled
                if exc.code not in ("NoSuchEntity", "InvalidInput"):
                    raise
            call(self.iam, "delete_virtual_mfa_device", SerialNumber=self.serial)
            self.serial = None
        if self.key:
            call(self.iam, "delete_access_key", UserName=user, AccessKeyId=self.key)
            self.key = None
