"""Accounts: create (asynchronous, never twice), rename, move, tags, suspend, close."""

from __future__ import annotations

import time
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.aws.errors import AwsError
from orgstack.kinds.organization.apply_ou import set_tags
from orgstack.kinds.organization.read_objects import account_state
from orgstack.plan.model import Change

MANAGED_TAG = "orgstack:managed"
SUSPENDED_TAG = "orgstack:suspended"

#: Every CreateAccountFailureReason of the Organizations API, with what it means and what to do.
FAILURES: dict[str, tuple[str, str]] = {
    "ACCOUNT_LIMIT_EXCEEDED": (
        "the organization has reached its account quota",
        "Request more accounts (Service Quotas, L-29A0C5DF, us-east-1), then apply again.",
    ),
    "EMAIL_ALREADY_EXISTS": (
        "the root e-mail already belongs to an AWS account (or did, before closure)",
        "Give the account another e-mail in the spec (plus addressing helps), plan and apply.",
    ),
    "INVALID_ADDRESS": (
        "AWS rejected the account's address",
        "Check the management account's contact address.",
    ),
    "INVALID_EMAIL": (
        "AWS rejected the root e-mail as invalid",
        "Fix the e-mail in the spec, plan and apply.",
    ),
    "CONCURRENT_ACCOUNT_MODIFICATION": (
        "another request with the same details is in progress",
        "Wait a few minutes, then `orgstack apply --resume`.",
    ),
    "INTERNAL_FAILURE": (
        "AWS failed internally",
        "Run `orgstack apply --resume`; contact AWS Support if it repeats.",
    ),
    "GOVCLOUD_ACCOUNT_ALREADY_EXISTS": (
        "a GovCloud account already exists for this account",
        "Remove it or use another e-mail, plan and apply.",
    ),
    "MISSING_BUSINESS_VALIDATION": (
        "the management account is not yet validated by AWS",
        "Complete the business validation AWS asks for, then apply again.",
    ),
    "FAILED_BUSINESS_VALIDATION": (
        "AWS could not validate the management account's business details",
        "Contact AWS Support, then apply again.",
    ),
    "PENDING_BUSINESS_VALIDATION": (
        "AWS is still validating the management account",
        "Wait for the validation to finish, then `orgstack apply --resume`.",
    ),
    "INVALID_IDENTITY_FOR_BUSINESS_VALIDATION": (
        "AWS could not verify the identity for business validation",
        "Update the identity details AWS asks for, then apply again.",
    ),
    "UNKNOWN_BUSINESS_VALIDATION": (
        "AWS's business validation failed for an unknown reason",
        "Contact AWS Support, then apply again.",
    ),
    "MISSING_PAYMENT_INSTRUMENT": (
        "the management account has no payment method",
        "Add a payment method in the billing console, then apply again.",
    ),
    "INVALID_PAYMENT_INSTRUMENT": (
        "the management account's payment method was refused",
        "Update the payment method in the billing console, then apply again.",
    ),
    "UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED": (
        "AWS cannot apply the tags while updating an existing resource policy",
        "Remove the account's tags from the spec for its creation, then add them in a later apply.",
    ),
}


def _existing_request(ctx: ExecContext, name: str, email: str | None) -> str | None:
    """A CreateAccount request for this account already made (IN_PROGRESS, or SUCCEEDED for an
    account still active with the same e-mail): the stateless guard against duplicates."""
    token, seen = None, set()
    while True:
        page = ctx.call(
            "list_create_account_status",
            States=["IN_PROGRESS", "SUCCEEDED"],
            **({"NextToken": token} if token else {}),
        )
        for status in page.get("CreateAccountStatuses", []):
            if status.get("AccountName") != name:
                continue
            if status["State"] == "IN_PROGRESS":
                return str(status["Id"])
            account = ctx.call("describe_account", AccountId=status["AccountId"])["Account"]
            if account_state(account) == "ACTIVE" and (
                email is None or account.get("Email", "").lower() == email.lower()
            ):
                return str(status["Id"])
        token = page.get("NextToken")
        if not token or token in seen:  # a repeated token ends the loop (the sandbox repeats them)
            return None
        seen.add(token)


#: Failures that may mean an earlier request for the same account succeeded (its answer lost).
MAYBE_OURS = ("EMAIL_ALREADY_EXISTS", "CONCURRENT_ACCOUNT_MODIFICATION")
#: Failures that say nothing about the account: a new request may succeed.
TRANSIENT = ("INTERNAL_FAILURE", "CONCURRENT_ACCOUNT_MODIFICATION")


def _journaled(ctx: ExecContext, index: int) -> str | None:
    """The request a crashed apply journaled for this account, unless AWS failed it for a
    transient reason (then a resume looks again, and makes a new request rather than polling
    the failed one forever)."""
    request_id = ctx.resumed.requests.get(index)
    if request_id is None:
        return None
    status = ctx.call("describe_create_account_status", CreateAccountRequestId=request_id)[
        "CreateAccountStatus"
    ]
    if status["State"] == "FAILED" and status.get("FailureReason") in TRANSIENT:
        return None
    return request_id


def _wait(ctx: ExecContext, request_id: str, name: str, email: str | None = None) -> str:
    """Poll DescribeCreateAccountStatus with backoff until SUCCEEDED (the account id) or FAILED.

    A retried CreateAccount whose first answer was lost fails with EMAIL_ALREADY_EXISTS (or
    CONCURRENT_ACCOUNT_MODIFICATION) although the first request made the account: then the
    earlier request for the same name and e-mail is adopted instead of failing.
    """
    started = time.monotonic()
    while True:
        status = ctx.call("describe_create_account_status", CreateAccountRequestId=request_id)[
            "CreateAccountStatus"
        ]
        if status["State"] == "SUCCEEDED":
            return str(status["AccountId"])
        if status["State"] == "FAILED":
            reason = status.get("FailureReason", "UNKNOWN")
            earlier = _existing_request(ctx, name, email) if reason in MAYBE_OURS else None
            if earlier is not None and earlier != request_id:
                return _wait(ctx, earlier, name, email)
            what, hint = FAILURES.get(
                reason, (f"AWS reports {reason}", "Check the AWS console, then apply again.")
            )
            raise ApplyError(f"creating account {name} failed ({reason}): {what}", hint)
        elapsed = time.monotonic() - started
        if elapsed > ctx.options.creation_timeout_s:
            raise ApplyError(
                f"account {name} was still being created after {elapsed:.0f} s",
                "AWS keeps creating it; `orgstack apply --resume` picks it up without a duplicate.",
            )
        ctx.emit(
            {
                "event": "waiting",
                "address": f"account:{name}",
                "state": status["State"],
                "elapsed_s": round(elapsed, 1),
            }
        )
        # A quarter of the time waited so far, bounded: few calls, and a finished account is
        # noticed within about a quarter of its creation time.
        ctx.sleep(min(ctx.options.poll_max_s, max(ctx.options.poll_initial_s, elapsed / 4)))


def _request(ctx: ExecContext, address: str, **request: Any) -> dict[str, Any]:
    """CreateAccount; while a brand-new organization is still being set up AWS refuses it
    (FinalizingOrganizationException, "up to an hour"): wait, counting down, then ask again."""
    started = time.monotonic()
    while True:
        try:
            status: dict[str, Any] = ctx.call("create_account", **request)["CreateAccountStatus"]
            return status
        except AwsError as exc:
            if exc.code != "FinalizingOrganizationException":
                raise
            elapsed = time.monotonic() - started
            left = ctx.options.finalizing_timeout_s - elapsed
            if left <= 0:
                raise ApplyError(
                    f"AWS is still setting up the new organization after {elapsed / 60:.0f} "
                    "min and refuses new accounts until it is done",
                    "AWS says this can take up to an hour; `orgstack apply --resume` later.",
                ) from None
            ctx.emit(
                {
                    "event": "waiting",
                    "address": address,
                    "state": "organization finalizing",
                    "elapsed_s": round(elapsed, 1),
                    "left_s": round(left, 1),
                }
            )
            ctx.sleep(min(ctx.options.finalizing_poll_s, left))


def _ready(ctx: ExecContext, account_id: str, name: str) -> None:
    """Readiness gate: the access role can actually be assumed (bounded attempts)."""
    delay = ctx.options.poll_initial_s
    for attempt in range(ctx.options.readiness_attempts):
        try:
            session = ctx.members().session(account_id)
            session.client("sts", endpoint_url=ctx.aws.endpoint_url).get_caller_identity()
            return
        except Exception as exc:
            if attempt == ctx.options.readiness_attempts - 1:
                raise ApplyError(
                    f"account {name} ({account_id}) exists, but its access role cannot be "
                    f"assumed yet: {exc}",
                    "New accounts can take minutes to initialize; `orgstack apply --resume` later.",
                ) from None
            ctx.sleep(delay)
            delay = min(delay * 1.5, ctx.options.poll_max_s)


def _move(ctx: ExecContext, account_id: str, destination: str) -> None:
    parents = ctx.call("list_parents", ChildId=account_id)["Parents"]
    source = parents[0]["Id"]
    if source != destination:
        ctx.call(
            "move_account",
            AccountId=account_id,
            SourceParentId=source,
            DestinationParentId=destination,
        )


def _target(ou: str) -> str:
    return "root" if ou == "root" else f"ou:{ou}"


def create(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create an account (at most ``max_creations`` in flight), wait for it, move it into its OU,
    then check its access role can be assumed. The request id is journaled before anything else,
    and an existing request for the same account is reused: an account is never created twice.

    IAM actions: organizations:CreateAccount, organizations:DescribeCreateAccountStatus,
    organizations:ListCreateAccountStatus, organizations:DescribeAccount,
    organizations:ListParents, organizations:MoveAccount, organizations:TagResource,
    iam:CreateServiceLinkedRole, sts:AssumeRole
    """
    after = change.after or {}
    name, email = after["name"], after.get("email")
    with ctx.creations:
        request_id = _journaled(ctx, index) or _existing_request(ctx, name, email)
        if request_id is None:
            tags = {**after.get("tags", {}), MANAGED_TAG: "true"}
            status = _request(
                ctx,
                change.address,
                AccountName=name,
                Email=email,
                IamUserAccessToBilling="ALLOW",
                RoleName=after.get("access_role", ctx.options.access_role),
                Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
            )
            ctx.checkpoint(index, "called")
            request_id = status["Id"]
            ctx.journal.append(
                "request", index=index, address=change.address, request_id=request_id
            )
        account_id = _wait(ctx, request_id, name, email)
    # Into its OU first, so it is under its guardrails at once; the access role can take
    # minutes to become assumable, and an account left under the root meanwhile is not.
    if after.get("ou", "root") != "root":
        _move(ctx, account_id, ctx.id_of(_target(after["ou"])))
    ctx.set_id(change.address, account_id)
    _ready(ctx, account_id, name)
    return {"id": account_id}


def update(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Rename an account; a root e-mail change is refused with what to do instead.

    IAM actions: account:PutAccountName, organizations:DescribeOrganization
    """
    after, account_id = change.after or {}, ctx.id_of(change.address)
    if "email" in after:
        raise ApplyError(
            f"{change.address}: AWS changes a root e-mail only with a code sent to the new address",
            "Change it in the account's settings (or StartPrimaryEmailUpdate), then plan again.",
        )
    if "name" in after:
        # Another account's name needs trusted access for account.amazonaws.com (the plan
        # enables it first); the management account names itself without AccountId.
        target = {} if account_id == ctx.management_id() else {"AccountId": account_id}
        ctx.aws.call(
            ctx.aws.client("account"), "put_account_name", AccountName=after["name"], **target
        )
        ctx.checkpoint(index, "called")
    return {"id": account_id}


def _not_management(ctx: ExecContext, change: Change, account_id: str) -> None:
    if account_id == ctx.management_id():
        raise ApplyError(
            f"{change.address} is the management account; "
            "orgstack never moves, suspends or closes it"
        )


def move(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Move an account to another OU (never the management account).

    IAM actions: organizations:MoveAccount, organizations:ListParents,
    organizations:DescribeOrganization
    """
    account_id = ctx.id_of(change.address)
    _not_management(ctx, change, account_id)
    _move(ctx, account_id, ctx.id_of(_target((change.after or {})["ou"])))
    ctx.checkpoint(index, "called")
    return {"id": account_id}


def suspend(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Park an account removed from the spec: move it to the Suspended OU (deny-all) and tag it.

    IAM actions: organizations:MoveAccount, organizations:ListParents,
    organizations:TagResource, organizations:DescribeOrganization
    """
    account_id = ctx.id_of(change.address)
    _not_management(ctx, change, account_id)
    after = change.after or {}
    _move(ctx, account_id, ctx.id_of(_target(after["ou"])))
    set_tags(ctx, account_id, after.get("tags", {SUSPENDED_TAG: "true"}))
    ctx.checkpoint(index, "called")
    return {"id": account_id}


def close(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Close an account (planned only with --allow-close; a few at once).

    IAM actions: organizations:CloseAccount, organizations:DescribeOrganization
    """
    account_id = ctx.id_of(change.address)
    _not_management(ctx, change, account_id)
    with ctx.closures:
        try:
            ctx.call("close_account", AccountId=account_id)
        except AwsError as exc:
            if exc.code != "AccountAlreadyClosedException":
                raise
    ctx.checkpoint(index, "called")
    return {"id": account_id}
