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
    # What a removed group, user or grant gave is revoked in every plan: a leftover role
    # trusts nobody, a leftover group loses its members and policies (IAM and Identity
    # Center), an assignment is detached; the objects themselves (roles, groups, permission
    # sets, and IAM users, who hold people's passwords, keys and MFA devices) are deleted only
    # with --allow-delete. The MFA policy is only reported.
    removal={
        "role": Removal.REVOKE,
        "group": Removal.REVOKE,
        "sso-group": Removal.REVOKE,
        "user": Removal.DELETE,
        "permission-set": Removal.DELETE,
        "assignment": Removal.DETACH,
    },
    # An assignment is its account, permission set and group: replaced, never updated.
    fixed=("assignment",),
    group_title="Access, by account:",
    detach_reason="no longer granted by the matrix",
    absent="not granted",
)
