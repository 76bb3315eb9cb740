"""Access as resources: what the spec's matrix means in IAM or Identity Center.

Every resource has an address ``access:<account>/<type>/<name>`` (Identity Center's own objects
use ``identity-center`` as the account) and a canonical value (``plan.resources``).
"""

from __future__ import annotations

from typing import Any

from orgstack.model import policydoc
from orgstack.model.access import PREFIX
from orgstack.model.kind import in_account, resource_address
from orgstack.plan.resources import canonical

IDENTITY_CENTER = "identity-center"
#: Where the plan's ids keep the Identity Center Region (when not the default Region).
REGION_ID = "identity-center:region"
#: Where the plan's ids keep the mode and the identity account the read used.
MODE_ID = "read:access/mode"
IDENTITY_ID = "read:access/identity"
MFA_POLICY = PREFIX + "RequireMFA"
INLINE_POLICY = PREFIX + "inline"
ASSUME_POLICY = PREFIX + "switch-role"
#: A role's tag that says which group the matrix grants it to (the group's switch-role
#: policy selects roles by it).
GRANT_TAG = PREFIX.rstrip("-") + ":grant/"
#: A role's description when its level declares none.
ROLE_DESCRIPTION = "orgstack switch-role role; managed by orgstack"

#: AWS's "BlockMostAccessUnlessSignedInWithMFA" example: until a user signs in with MFA, they
#: may only set up their own MFA device and change their own password.
REQUIRE_MFA: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowViewAccountInfo",
            "Effect": "Allow",
            "Action": ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
            "Resource": ["*"],
        },
        {
            "Sid": "AllowManageOwnPasswordAndMFA",
            "Effect": "Allow",
            "Action": [
                "iam:ChangePassword",
                "iam:DeactivateMFADevice",
                "iam:EnableMFADevice",
                "iam:GetMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ResyncMFADevice",
            ],
            "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        },
        {
            "Sid": "AllowCreateOwnVirtualMFADevice",
            "Effect": "Allow",
            "Action": ["iam:CreateVirtualMFADevice"],
            "Resource": ["arn:aws:iam::*:mfa/*"],
        },
        {
            "Sid": "DenyAllExceptMFASetupWithoutMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:ChangePassword",
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "sts:GetSessionToken",
            ],
            "Resource": ["*"],
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}},
        },
    ],
}


#: The trust of a role nobody is granted any more: it lets no one assume it.
TRUST_NOBODY: dict[str, Any] = canonical(policydoc.TRUST_NOBODY)


#: Filled in by the executor with the time it revokes a role (apply_parts.doc).
REVOKED_AT = "{revoked_at}"
REVOKE_SID = "RevokeOlderSessions"
#: What AWS's "Revoke active sessions" attaches: every session issued before now is denied.
REVOKE_SESSIONS: dict[str, Any] = canonical(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": REVOKE_SID,
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"DateLessThan": {"aws:TokenIssueTime": REVOKED_AT}},
            }
        ],
    }
)


def grant_tag(group: str) -> str:
    """``developers`` → ``orgstack:grant/developers``."""
    return GRANT_TAG + group


def kind_of(address: str) -> str:
    return in_account(address).split("/", 1)[0]


def address(account: str, kind: str, *names: str) -> str:
    return resource_address("access", account, kind, *names)


def arn_of(account_id: str, kind: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:{kind}/{name}"


def session_iso(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"PT{hours}H" if not rest else f"PT{seconds // 60}M"
