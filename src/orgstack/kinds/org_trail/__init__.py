"""The organization trail (``logging:``): one CloudTrail trail in the management account that
records every account of the organization in every Region — global service events, log file
validation, encrypted with the log archive's key — into the log archive's bucket.

Addresses: ``org-trail:<management account>/<trail name>``. Created after the log archive
(the bucket and key must exist) and after trusted access for ``cloudtrail.amazonaws.com``.
A stopped or changed trail is drift and is restored; orgstack never deletes a trail.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    sections=("logging",),
    prefix="org-trail",
    summary="the organization trail writing to the log archive (logging)",
    after=("trusted-access", "log-archive"),
    phase=40,
    full_updates=True,
)
