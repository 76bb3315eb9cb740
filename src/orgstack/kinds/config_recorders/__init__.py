"""AWS Config in every account (``security:`` with ``config``, delivering into ``logging:``'s
bucket): per account and Region of ``security.regions``, a configuration recorder of every
supported resource type (global types in the home Region only), recording, with a delivery
channel into the log archive's Config bucket (AWS Config cannot deliver into the locked log
bucket). A recorder that exists already under another name (Control Tower's, say) is adopted:
AWS allows one recorder and one delivery channel per account and Region.

Addresses: ``config-recorder:<account>/<region>``. Set in each account through the access
role (the management account directly). A recorder stopped or changed out of band is drift
and is restored; orgstack never deletes one.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    sections=(
        "security",
        "logging",
    ),
    prefix="config-recorder",
    summary="AWS Config recording in every account and Region into the log archive (security)",
    after=("log-archive", "delegated-admin"),
    phase=70,
    group_title="AWS Config recorders, by account:",
    full_updates=True,
)
