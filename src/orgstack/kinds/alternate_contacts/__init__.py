"""Alternate contacts (``alternate_contacts:``): who AWS writes to about an account's billing,
operations and security, besides the root e-mail.

Addresses: ``alternate-contact:<account>/<billing|operations|security>``. Set from the
management account through the Account Management API, which needs trusted access for
``account.amazonaws.com`` (enabled by the plan). A contact the spec no longer declares is
reported, and removed only with ``--allow-delete``.
"""

from orgstack.model.kind import KindInfo, Removal

KIND = KindInfo(
    prefix="alternate-contact",
    summary="the accounts' alternate contacts (alternate_contacts)",
    types=("billing", "operations", "security"),
    type_index=1,
    removal=dict.fromkeys(("billing", "operations", "security"), Removal.DELETE),
    after=("trusted-access",),
    group_title="Alternate contacts, by account:",
    # PutAlternateContact sets all four fields at once: an update carries the whole contact.
    full_updates=True,
)
