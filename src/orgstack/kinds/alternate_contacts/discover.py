"""``orgstack import``: the ``alternate_contacts:`` section the live organization implies —
each active account's contacts, a type every account shares written once under ``default``.
Member accounts' contacts are readable only with trusted access for Account Management; without
it only the management account's are imported, and the others are listed as not imported.

IAM actions: account:GetAlternateContact
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.alternate_contacts.probes import contact
from orgstack.kinds.alternate_contacts.schema import TYPES
from orgstack.kinds.alternate_contacts.vocabulary import SERVICE
from orgstack.model.kind import Discovered, DiscoverRequest


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    names = request.names()
    closed = SERVICE not in request.live.organization.service_access
    if closed:
        names = {i: n for i, n in names.items() if i == ctx.home}
    jobs = [(i, t) for i in sorted(names) for t in TYPES]
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {job: pool.submit(contact, ctx, *job) for job in jobs}
        found = {job: value for job, f in futures.items() if (value := f.result()) is not None}
    if not found:
        return Discovered()
    # The management account has contacts: its members likely too, unread.
    notes = (
        [
            "alternate_contacts: member accounts' contacts (trusted access for "
            f"{SERVICE} is not enabled, so they cannot be read)"
        ]
        if closed
        else []
    )
    default: dict[str, Any] = {}
    for type_ in TYPES:
        values = [found.get((i, type_)) for i in names]
        # Only what every account of the organization has is everyone's (never the
        # management account's alone, when the members' could not be read).
        if not closed and values and all(v is not None and v == values[0] for v in values):
            default[type_] = values[0]
    accounts: dict[str, Any] = {}
    for (account_id, type_), value in sorted(found.items()):
        if type_ not in default:
            accounts.setdefault(names[account_id], {})[type_] = value
    section: dict[str, Any] = {}
    if default:
        section["default"] = default
    if accounts:
        section["accounts"] = dict(sorted(accounts.items()))
    return Discovered(section, notes)
