"""LZ215 log-bucket-not-locked."""

from pathlib import Path

from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.logs_fixture import ARCHIVE, BUCKET, audited

NAME = "acme-logs-111122223333"


def test_the_declared_bucket_and_an_intact_live_one_pass(tmp_path: Path) -> None:
    assert run("LZ215", ARCHIVE, tmp_path) == []
    assert run_model("LZ215", audited(tmp_path)) == []


def test_a_loosened_bucket_fails_with_every_problem(tmp_path: Path) -> None:
    model = audited(
        tmp_path,
        {
            BUCKET: {
                "object_lock": {"mode": "GOVERNANCE", "days": 1},
                "versioning": "Suspended",
                "encryption": {"algorithm": "AES256", "key": None},
                "public_access_block": {"BlockPublicAcls": False},
                "policy": {"Version": "2012-10-17", "Statement": []},
                "logging": None,
            }
        },
    )
    assert run_model("LZ215", model) == [
        (
            BUCKET,
            f"{NAME}: Object Lock is governance 1 days, not compliance 400 days; versioning "
            "is off; not encrypted with KMS; public access is not fully blocked; the policy "
            "does not deny requests without TLS; access logging is off",
        )
    ]


def test_a_missing_bucket_fails(tmp_path: Path) -> None:
    assert run_model("LZ215", audited(tmp_path, {BUCKET: None})) == [
        ("account:log-archive", "no log bucket in account log-archive")
    ]
