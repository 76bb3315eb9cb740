"""LZ216 log-objects-deletable."""

from pathlib import Path

from orgstack.plan.resources import canonical
from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.logs_fixture import ARCHIVE, ARCHIVE_ALONE, BUCKET, audited

NAME = "acme-logs-111122223333"
WIDE_OPEN = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Everyone",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": "*",
        }
    ],
}


def test_the_policy_orgstack_writes_passes(tmp_path: Path) -> None:
    assert run("LZ216", ARCHIVE, tmp_path) == []
    assert run_model("LZ216", audited(tmp_path)) == []


def test_a_widened_policy_without_a_deny_fails_twice(tmp_path: Path) -> None:
    model = audited(tmp_path, {BUCKET: {"policy": canonical(WIDE_OPEN)}})
    assert run_model("LZ216", model) == [
        (
            BUCKET,
            f"{NAME}: Everyone of the bucket policy allows s3:DeleteObject, "
            "s3:DeleteObjectVersion, s3:PutObject to principals of accounts",
        ),
        (
            BUCKET,
            f"{NAME}: nothing denies deleting log objects to the log archive's own principals "
            "(a bucket policy Deny or an SCP at the root)",
        ),
        (
            BUCKET,
            f"{NAME}: nothing denies s3:PutReplicationConfiguration, "
            "s3:PutBucketOwnershipControls to the log archive's own principals (the logs "
            "could be replicated out or the bucket taken over)",
        ),
    ]


def test_an_scp_at_the_root_is_enough_deny(tmp_path: Path) -> None:
    text = ARCHIVE + (
        "  guard:\n    type: service_control\n    guardrails: [protect-log-bucket]\n"
        "    targets: [root]\n"
    )
    model = audited(tmp_path, {BUCKET: {"policy": None}}, text)
    assert run_model("LZ216", model) == []


KEY = "log-archive:log-archive/key"
GLASS_OPEN = (
    "account:log-archive",
    "the break-glass role OrgstackBreakGlass, which every log and backup guardrail exempts, "
    "can be made or re-trusted by any account's administrator: no SCP at the root denies "
    "iam:AttachRolePolicy, iam:CreateRole, iam:PutRolePolicy, iam:UpdateAssumeRolePolicy on "
    "it to all but OrganizationAccountAccessRole (protect-break-glass-role)",
)


def test_without_the_break_glass_guardrail_anyone_can_make_the_exempt_role(
    tmp_path: Path,
) -> None:
    assert run("LZ216", ARCHIVE_ALONE, tmp_path) == [GLASS_OPEN]


def test_a_key_policy_that_lets_the_accounts_admins_destroy_the_key_fails(
    tmp_path: Path,
) -> None:
    root_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EnableIAMUserPermissions",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    model = audited(tmp_path, {KEY: {"policy": canonical(root_only)}})
    assert run_model("LZ216", model) == [
        (
            KEY,
            "alias/orgstack-logs: its key policy lets the account's administrators call "
            "kms:DeleteAlias, kms:DisableKey, kms:DisableKeyRotation, kms:ScheduleKeyDeletion, "
            "kms:PutKeyPolicy, kms:UpdateAlias (deny them to all but the break-glass role: the "
            "data it encrypts becomes unreadable)",
        )
    ]


def test_a_deny_exempting_any_role_is_no_guard(tmp_path: Path) -> None:
    """A Deny whose exemption names a role other than the break-glass one guards nothing."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["s3:PutReplicationConfiguration", "s3:PutBucketOwnershipControls"],
                "Resource": f"arn:aws:s3:::{NAME}",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin*"}},
            },
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["s3:DeleteObject*"],
                "Resource": f"arn:aws:s3:::{NAME}/*",
            },
        ],
    }
    model = audited(tmp_path, {BUCKET: {"policy": canonical(policy)}})
    assert [m for _, m in run_model("LZ216", model)] == [
        f"{NAME}: nothing denies s3:PutReplicationConfiguration, "
        "s3:PutBucketOwnershipControls to the log archive's own principals (the logs could be "
        "replicated out or the bucket taken over)"
    ]
