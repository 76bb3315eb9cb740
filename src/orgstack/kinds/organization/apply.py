"""How the organization's changes are made, by type (an address's prefix) and action: each
executor is idempotent and its docstring lists its IAM actions."""

from orgstack.kinds.organization import apply_account, apply_organization, apply_ou, apply_policy
from orgstack.model import MANAGED_POLICY_TYPES, ROOT

EXECUTORS = {
    ("organization", "create"): apply_organization.create,
    ("policy-type", "enable"): apply_organization.enable,
    (ROOT, "tag"): apply_ou.tag,
    (ROOT, "untag"): apply_ou.untag,
    ("ou", "create"): apply_ou.create,
    ("ou", "update"): apply_ou.update,
    ("ou", "tag"): apply_ou.tag,
    ("ou", "untag"): apply_ou.untag,
    **{
        (prefix, action): getattr(apply_policy, action)
        for prefix in (t.address_prefix for t in MANAGED_POLICY_TYPES)
        for action in ("create", "update", "attach", "detach")
    },
    ("account", "create"): apply_account.create,
    ("account", "update"): apply_account.update,
    ("account", "move"): apply_account.move,
    ("account", "tag"): apply_ou.tag,
    ("account", "untag"): apply_ou.untag,
    ("account", "suspend"): apply_account.suspend,
    ("account", "close"): apply_account.close,
}
