"""Trusted access: the AWS services the organization lets act in every account, enabled when a
kind needs one (e.g. ``account.amazonaws.com`` for alternate contacts).

Addresses: ``trusted-access:organization/<service principal>``. orgstack only enables: other
tools may rely on a service's access, so one the spec no longer needs is left enabled.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    prefix="trusted-access",
    summary="trusted access for the services the spec's kinds use",
    types=("",),
    # Before the kinds that need it, in the plan as in the apply.
    phase=10,
)
