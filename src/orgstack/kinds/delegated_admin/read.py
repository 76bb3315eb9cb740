"""Delegated administrators as the organization read shows them (ListDelegatedAdministrators
and ListDelegatedServicesForAccount are part of that read): no call of its own.

IAM actions: organizations:ListDelegatedAdministrators,
organizations:ListDelegatedServicesForAccount
"""

from __future__ import annotations

from orgstack.aws.reading import ReadContext
from orgstack.kinds.delegated_admin.vocabulary import PRINCIPALS, address
from orgstack.model.kind import Live, ReadRequest


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    if request.live is None:
        return live
    # Names from the organization read itself (the stale check narrows ``accounts``).
    names = {a.id: a.name for a in request.live.accounts if a.id}
    for account_id, principal in request.live.organization.delegated_admins:
        if principal not in PRINCIPALS:
            continue
        where = address(principal)
        if where in live.resources:
            continue  # AWS allows one administrator per service; keep the first read
        name = names.get(account_id, account_id)
        live.resources[where] = {"account": name, "account_id": account_id}
        live.managed.add(where)
    return live
