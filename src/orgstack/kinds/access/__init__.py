"""Cross-account access (``access:``): IAM users, groups and switch-role roles, or IAM Identity
Center permission sets and assignments.

Addresses: ``access:<account>/<type>/<name>`` (Identity Center's own objects use
``identity-center`` as the account).
"""

from orgstack.model.kind import KindInfo, Removal

KIND = KindInfo(
    prefix="access",
    summary="the access matrix",
    types=(
        "policy",
        "user",
        "group",
        "role",
        "permission-set",
        "sso-user",
        "sso-group",
        "assignment",
    ),
    type_index=1,
    # Roles and permission sets orgstack made are deleted only with --allow-delete; an
    # assignment the matrix no longer grants is always revoked; users, groups and the MFA
    # policy belong to people and are only reported.
    removal={
        "role": Removal.DELETE,
        "permission-set": Removal.DELETE,
        "assignment": Removal.DETACH,
    },
    group_title="Access, by account:",
    detach_reason="no longer granted by the matrix",
    absent="not granted",
)
