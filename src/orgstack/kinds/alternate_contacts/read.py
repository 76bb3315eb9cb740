"""Read the alternate contacts of the spec's accounts from the management account: one
GetAlternateContact per account and type (AWS has no batch read), concurrently. An account
orgstack runs in is read without AccountId (AWS refuses its own id there). Other accounts'
contacts can only be read once trusted access for ``account.amazonaws.com`` is enabled (the
organization read says whether it is); before that they count as not set, and the plan sets
them after enabling it.

IAM actions: account:GetAlternateContact
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.alternate_contacts.desired import SERVICE, address
from orgstack.model.kind import Live, ReadRequest

TYPES = ("billing", "operations", "security")


def _contact(ctx: ReadContext, account_id: str, type_: str) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {"AlternateContactType": type_.upper()}
    if account_id != ctx.home:
        kwargs["AccountId"] = account_id
    try:
        found = ctx.call(ctx.client("account"), "get_alternate_contact", **kwargs)
    except AwsError as exc:
        if exc.code == "ResourceNotFoundException":
            return None
        raise
    contact = found["AlternateContact"]
    return {
        "name": contact.get("Name"),
        "title": contact.get("Title"),
        "email": contact.get("EmailAddress"),
        "phone": contact.get("PhoneNumber"),
    }


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    wanted = request.wanted()
    if request.section is not None:
        wanted = {name: i for name, i in wanted.items() if name in request.section}
    trusted = request.live is not None and SERVICE in request.live.organization.service_access
    if not trusted:
        wanted = {name: i for name, i in wanted.items() if i == ctx.home}
    live = Live()
    jobs = [(name, i, t) for name, i in sorted(wanted.items()) for t in TYPES]
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        found = [(name, t, pool.submit(_contact, ctx, i, t)) for name, i, t in jobs]
        for name, type_, future in found:
            value = future.result()
            if value is not None:
                live.resources[address(name, type_)] = value
                # The spec declares this account's contacts: orgstack manages all three types.
                live.managed.add(address(name, type_))
    return live
