"""LZ219 backup-copies-impossible: judged on what audit's inspection of the covered accounts
found (the integration and end-to-end tests show it read from AWS)."""

from dataclasses import replace
from pathlib import Path
from typing import Any

from orgstack.model import OrgModel
from tests.unit.rules.helpers import load, run_model
from tests.unit.rules.test_backup_copies_deletable import SPEC

VOLUME = "arn:aws:ec2:eu-west-1:222233334444:volume/vol-1"
STUCK = {
    "resource": VOLUME,
    "key": "arn:aws:kms:eu-west-1:222233334444:key/k-1",
    "why": "encrypted with an AWS managed key, which AWS never shares with another account",
    "region": "eu-west-1",
}


def inspected(tmp_path: Path, **value: Any) -> OrgModel:
    found = {
        "account_id": "222233334444",
        "in_spec": True,
        "role": True,
        "vaults_missing": [],
        "unshareable": [],
        **value,
    }
    return replace(load(tmp_path, SPEC), live_resources={"backup-inspection:web-prod": found})


def test_nothing_unshareable_passes_and_the_spec_alone_says_nothing(tmp_path: Path) -> None:
    assert run_model("LZ219", load(tmp_path, SPEC)) == []
    assert run_model("LZ219", inspected(tmp_path)) == []


def test_each_resource_no_copy_can_leave_with_is_named(tmp_path: Path) -> None:
    assert run_model("LZ219", inspected(tmp_path, unshareable=[STUCK])) == [
        (
            "backup-inspection:web-prod",
            f"{VOLUME} (eu-west-1) cannot be copied to the backup account: encrypted with an "
            "AWS managed key, which AWS never shares with another account "
            "(arn:aws:kms:eu-west-1:222233334444:key/k-1)",
        )
    ]
