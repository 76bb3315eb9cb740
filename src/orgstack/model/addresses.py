"""Addresses of a kind's resources: ``<prefix>:<account>/<rest>``, the account first (an account
name holding ``/`` escaped, see ``model.paths``)."""

from __future__ import annotations

from orgstack.model import paths


def account_of(address: str) -> str:
    """The account a kind's resource lives in: the first segment after the prefix (an account
    name holding ``/`` is escaped there, see ``model.paths``)."""
    return paths.unescape(paths.raw_segments(address.split(":", 1)[1])[0])


def in_account(address: str) -> str:
    """What follows the account in a kind's address: ``access:web/role/x`` → ``role/x``."""
    return "/".join(paths.raw_segments(address.split(":", 1)[1])[1:])


def resource_address(prefix: str, account: str, *rest: str) -> str:
    """``prefix:<account>/<rest…>``, the account escaped (see ``model.paths``)."""
    return f"{prefix}:" + "/".join((paths.escape(account), *rest))
