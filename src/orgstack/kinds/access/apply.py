"""Access changes: which executor makes each (IAM mode in ``apply_iam``, Identity Center in
``apply_sso``) and what each waits for."""

from __future__ import annotations

import orgstack.kinds.access.apply_iam as access_iam
import orgstack.kinds.access.apply_removal as access_removal
import orgstack.kinds.access.apply_sets as access_sets
import orgstack.kinds.access.apply_sso as access_sso

EXECUTORS = {
    ("policy", "create"): access_iam.create_policy,
    ("policy", "update"): access_iam.update_policy,
    ("user", "create"): access_iam.create_user,
    ("user", "update"): access_iam.update_user,
    ("user", "delete"): access_removal.delete_user,
    ("group", "create"): access_iam.create_group,
    ("group", "update"): access_iam.update_group,
    ("group", "delete"): access_removal.delete_group,
    ("role", "create"): access_iam.create_role,
    ("role", "update"): access_iam.update_role,
    ("role", "delete"): access_iam.delete_role,
    ("permission-set", "create"): access_sets.create_permission_set,
    ("permission-set", "update"): access_sets.update_permission_set,
    ("permission-set", "delete"): access_sets.delete_permission_set,
    ("sso-user", "create"): access_sso.create_sso_user,
    ("sso-user", "update"): access_sso.update_sso_user,
    ("sso-group", "create"): access_sso.create_sso_group,
    ("sso-group", "update"): access_sso.update_sso_group,
    ("sso-group", "delete"): access_removal.delete_sso_group,
    ("assignment", "create"): access_sso.create_assignment,
    ("assignment", "detach"): access_sso.detach_assignment,
}


#: An access change of this kind waits for the creations of these kinds: a trust policy names
#: users, a group holds users and the MFA policy, an assignment joins a permission set and a group.
WAITS_FOR = {
    "role": ("user", "policy"),
    "group": ("user", "policy"),
    "sso-group": ("sso-user",),
    "assignment": ("permission-set", "sso-group"),
}

#: Deleting a permission set or an Identity Center group waits for every assignment change
#: (they name it); deleting a user waits for the group changes that remove it.
DELETE_WAITS_FOR = {
    "permission-set": ("assignment",),
    "sso-group": ("assignment",),
    "user": ("group",),
}
