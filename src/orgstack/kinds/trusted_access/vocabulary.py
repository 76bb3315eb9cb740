"""The service principals every kind needs trusted access for (``trusted_access(model)`` in
a kind's ``desired.py``)."""

from __future__ import annotations

PREFIX = "trusted-access:organization/"
#: Account Management: PutAccountName (an account rename) and alternate contacts.
ACCOUNT = "account.amazonaws.com"
