"""``orgstack access --user``: a user's CLI profiles and console links, with account ids read
from the organization."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orgstack.errors import UsageError
from orgstack.spec.loader import load_spec

if TYPE_CHECKING:
    from orgstack.aws.context import AwsContext, AwsOptions


@dataclass(frozen=True)
class AccessView:
    """What ``orgstack access --user`` prints: the profiles and console links."""

    config: str
    links: list[tuple[str, str]]
    context: AwsContext


def access_view(
    spec_path: str | Path | None,
    options: AwsOptions,
    user: str,
    *,
    source_profile: str | None = None,
    context: AwsContext | None = None,
) -> AccessView:
    """A user's ``~/.aws/config`` profiles and console links, with account ids read from the
    organization (one read of the account tree; no tags, no member accounts) and, in IAM mode,
    the user's MFA device (one ListMFADevices).

    IAM actions: iam:ListMFADevices"""
    from orgstack.aws.context import AwsContext
    from orgstack.kinds.access.matrix import aws_config, console_links, entries_for
    from orgstack.kinds.organization.vocabulary import OrgRequest
    from orgstack.plan.match import matched_ids
    from orgstack.registry import core_kind

    desired = load_spec(spec_path)
    context = context or AwsContext(options)
    live = core_kind().read_organization(context, OrgRequest())
    ids = {f"account:{a.name}": a.id for a in desired.accounts if a.id}
    if live is not None:
        ids |= matched_ids(desired, live)
    entries = entries_for(desired, user, ids)
    access = desired.access
    assert access is not None
    region = desired.organization.home_region
    start_url = access.sso_start_url
    if access.mode != "iam" and start_url is None:
        instances = list(
            context.pages(
                context.client("sso-admin", access.sso_region), "list_instances", "Instances"
            )
        )
        if not instances:
            raise UsageError(
                "IAM Identity Center is not enabled; there is no access portal yet",
                "Enable it, or set access.sso_start_url.",
            )
        start_url = f"https://{instances[0]['IdentityStoreId']}.awsapps.com/start"
    identity_id = ids.get(f"account:{access.identity_account}", "")
    serial = (
        _mfa_serial(context, identity_id, user, desired.organization.access_role)
        if access.mode == "iam" and any(e.mfa for e in entries)
        else None
    )
    config = aws_config(
        desired,
        user,
        entries,
        identity_id=identity_id,
        source_profile=source_profile or f"{desired.organization.name}-{user}",
        region=region,
        sso_start_url=start_url,
        sso_region=access.sso_region or region,
        mfa_serial=serial,
    )
    links = console_links(desired, entries, start_url)
    return AccessView(
        config, [(e.profile, link) for e, link in zip(entries, links, strict=True)], context
    )


def _mfa_serial(context: AwsContext, identity_id: str, user: str, role: str) -> str | None:
    """The serial (ARN) of the user's first MFA device in the identity account, if any (one
    ListMFADevices; a user not created yet has none)."""
    from orgstack.aws.errors import AwsError
    from orgstack.aws.members import AccountClients

    iam = AccountClients(context, context.caller_account(), role).reading().client(identity_id)
    try:
        devices = context.call(iam, "list_mfa_devices", UserName=user)["MFADevices"]
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return None
        raise
    return str(devices[0]["SerialNumber"]) if devices else None


@dataclass(frozen=True)
class AccessMatrix:
    """``access --matrix``: group × account → level, and the reach through the management
    account (LZ222), as a table and as JSON or CSV text."""

    groups: list[str]
    rows: list[tuple[str, list[str]]]
    reach: list[str]
    json: str
    csv: str


def access_matrix(spec_path: str | Path | None) -> AccessMatrix:
    from orgstack.kinds.access.matrix import matrix, matrix_csv, matrix_json, reach_lines

    model = load_spec(spec_path)
    groups, rows = matrix(model)
    return AccessMatrix(
        list(groups),
        [(account, list(cells)) for account, cells in rows],
        list(reach_lines(model)),
        matrix_json(model),
        matrix_csv(model),
    )
