"""LZ216 log-objects-deletable."""

from pathlib import Path

from orgstack.plan.resources import canonical
from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.logs_fixture import ARCHIVE, BUCKET, audited

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
    ]


def test_an_scp_at_the_root_is_enough_deny(tmp_path: Path) -> None:
    text = ARCHIVE + (
        "policies:\n  guard:\n    type: service_control\n    guardrails: [protect-log-bucket]\n"
        "    targets: [root]\n"
    )
    model = audited(tmp_path, {BUCKET: {"policy": None}}, text)
    assert run_model("LZ216", model) == []
