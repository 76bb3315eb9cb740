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

from orgstack.aws.reading import ReadContext
from orgstack.kinds.alternate_contacts.probes import contact
from orgstack.kinds.alternate_contacts.vocabulary import SERVICE, address
from orgstack.model.kind import Live, ReadRequest

TYPES = ("billing", "operations", "security")


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    # Every type of an account that has a target: one the spec dropped is found and removed.
    wanted = {n: i for n in request.target_accounts() if (i := request.account_id(n)) is not None}
    trusted = request.live is not None and SERVICE in request.live.organization.service_access
    if not trusted:
        wanted = {name: i for name, i in wanted.items() if i == ctx.home}
    live = Live()
    jobs = [(name, i, t) for name, i in sorted(wanted.items()) for t in TYPES]
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        found = [(name, t, pool.submit(contact, ctx, i, t)) for name, i, t in jobs]
        for name, type_, future in found:
            value = future.result()
            if value is not None:
                live.resources[address(name, type_)] = value
                # The spec declares this account's contacts: orgstack manages all three types.
                live.managed.add(address(name, type_))
    return live
