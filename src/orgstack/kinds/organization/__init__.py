"""The organization itself: its OUs, accounts and policies, the root's tags, the policy types
and the organization's creation. The core kind: read first (every other kind reads in the
accounts it finds), diffed by its own ``diff.py`` (matching by id, e-mail and path, moves,
tags, attachments, suspension), applied through its ``EXECUTORS`` like every kind."""

from orgstack.model import MANAGED_POLICY_TYPES
from orgstack.model.kindinfo import KindInfo

#: Its addresses' prefixes besides ``organization``, in the order their changes run.
_OWNS = (
    "root",
    "policy-type",
    "ou",
    *(t.address_prefix for t in MANAGED_POLICY_TYPES),
    "account",
)

KIND = KindInfo(
    prefix="organization",
    summary="the organization: OUs, accounts, policies",
    core=True,
    owns=_OWNS,
    types=("organization", *_OWNS),
    phase=0,
)
