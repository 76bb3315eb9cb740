"""One account's alternate contact of one type, read from the management account (the
reader and ``import`` share it)."""

from __future__ import annotations

from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext


def contact(ctx: ReadContext, account_id: str, type_: str) -> dict[str, Any] | None:
    """The contact, or None when the account has none of that type.

    IAM actions: account:GetAlternateContact
    """
    kwargs: dict[str, Any] = {"AlternateContactType": type_.upper()}
    if account_id != ctx.home:
        kwargs["AccountId"] = account_id
    try:
        found = ctx.call(ctx.client("account"), "get_alternate_contact", **kwargs)
    except AwsError as exc:
        if exc.code == "ResourceNotFoundException":
            return None
        raise
    person = found["AlternateContact"]
    return {
        "name": person.get("Name"),
        "title": person.get("Title"),
        "email": person.get("EmailAddress"),
        "phone": person.get("PhoneNumber"),
    }
