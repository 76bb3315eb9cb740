"""AWS Config on moto: every account records every resource in every Region of security:
into the log archive's Config bucket (global types in the home Region only; never the locked
log bucket, which AWS Config cannot deliver into); plan is empty afterwards; a recorder
stopped out of band is drift and is restored; a recorder made by someone else (Control
Tower's) is adopted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

SPEC = """\
organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root}
  security: {purpose: security, ou: root}
security: {services: [config]}
logging: {}
"""
ACCOUNTS = ("log-archive", "management", "security")
REGIONS = ("eu-central-1", "eu-west-1")


def changes(plan: Any) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in plan.changes if c.address.startswith("config-recorder:")]


def test_every_account_records_in_every_region(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert changes(plan) == [
        (f"config-recorder:{a}/{r}", Action.CREATE) for a in ACCOUNTS for r in REGIONS
    ]
    assert apply_now(plan, data).ok
    ids = account_ids()
    bucket = f"acme-logs-{ids['log-archive']}-config"
    for name in ("security", "log-archive"):
        for region in REGIONS:
            config = member(ids[name], "config", region)
            recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
            group = recorder["recordingGroup"]
            assert (group["allSupported"], group["includeGlobalResourceTypes"]) == (
                True, region == "eu-west-1",
            )  # fmt: skip
            status = config.describe_configuration_recorder_status()
            assert status["ConfigurationRecordersStatus"][0]["recording"]
            channel = config.describe_delivery_channels()["DeliveryChannels"][0]
            assert channel["s3BucketName"] == bucket
    assert plan_now()[0].empty


def test_a_stopped_recorder_is_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    config = member(account_ids()["security"], "config", "eu-central-1")
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    plan, data = plan_now()
    assert [(c.address, c.action, c.before) for c in plan.changes] == [
        ("config-recorder:security/eu-central-1", Action.UPDATE, {"recording": False})
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty


def test_audit_reports_an_account_that_stopped_recording(aws: None, workdir: Path) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    assert api.audit("orgstack.yaml", FAST, ("LZ217",))[0].findings == ()
    config = member(account_ids()["log-archive"], "config", "eu-west-1")
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ217",))
    assert [(f.address, f.message) for f in report.findings] == [
        ("config-recorder:log-archive/eu-west-1", "recording is False, not True")
    ]


def test_the_sandbox_refuses_a_channel_into_the_locked_log_bucket(aws: None, workdir: Path) -> None:
    """What orgstack did before Config had its own bucket: AWS Config refuses a delivery
    channel into a bucket with Object Lock, and so does the sandbox."""
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    config = member(ids["security"], "config", "eu-west-1")
    locked = f"acme-logs-{ids['log-archive']}"
    with pytest.raises(ClientError) as refused:
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": locked})
    assert refused.value.response["Error"]["Code"] == "InsufficientDeliveryPolicyException"
    assert f"Insufficient delivery policy to s3 bucket: {locked}" in str(refused.value)
    with pytest.raises(ClientError, match="NoSuchBucketException"):
        config.put_delivery_channel(
            DeliveryChannel={"name": "default", "s3BucketName": "no-such-bucket-here"}
        )
    channel = config.describe_delivery_channels()["DeliveryChannels"][0]
    assert channel["s3BucketName"] == f"{locked}-config"  # unchanged


def test_plain_moto_takes_a_channel_into_a_locked_bucket() -> None:
    """Why the shim exists: plain moto saves the channel AWS refuses."""
    script = """
import boto3
from moto import mock_aws
with mock_aws():
    boto3.client("s3", region_name="us-east-1").create_bucket(
        Bucket="locked-logs", ObjectLockEnabledForBucket=True)
    config = boto3.client("config", region_name="us-east-1")
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": "arn:aws:iam::123456789012:role/r"})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "locked-logs"})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "nowhere"})
    print(config.describe_delivery_channels()["DeliveryChannels"][0]["s3BucketName"])
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["nowhere"]


CONTROL_TOWER = "aws-controltower-BaselineConfigRecorder"
CONTROL_TOWER_CHANNEL = "aws-controltower-BaselineConfigDeliveryChannel"


def test_a_recorder_of_another_name_is_adopted(aws: None, workdir: Path) -> None:
    """AWS allows one recorder and one channel per account and Region: one Control Tower made
    is set as planned under its own name (a second one would be refused:
    MaxNumberOfConfigurationRecordersExceededException)."""
    (workdir / "orgstack.yaml").write_text(SPEC.replace("security: {services: [config]}\n", ""))
    assert apply_now(*plan_now()).ok  # the accounts, without Config
    (workdir / "orgstack.yaml").write_text(SPEC)
    ids = account_ids()
    config = member(ids["security"], "config", "eu-west-1")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": CONTROL_TOWER,
            "roleARN": f"arn:aws:iam::{ids['security']}:role/aws-controltower-ConfigRecorderRole",
            "recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::S3::Bucket"]},
        }
    )
    with pytest.raises(ClientError, match="MaxNumberOfConfigurationRecordersExceeded"):
        config.put_configuration_recorder(
            ConfigurationRecorder={"name": "default", "roleARN": "arn:aws:iam::1:role/r"}
        )
    assert apply_now(*plan_now()).ok
    recorders = config.describe_configuration_recorders()["ConfigurationRecorders"]
    assert [(r["name"], r["recordingGroup"]["allSupported"]) for r in recorders] == [
        (CONTROL_TOWER, True)
    ]
    assert recorders[0]["roleARN"].endswith("/AWSServiceRoleForConfig")
    channel = config.describe_delivery_channels()["DeliveryChannels"][0]
    assert channel["s3BucketName"] == f"acme-logs-{ids['log-archive']}-config"
    status = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    assert [(s["name"], s["recording"]) for s in status] == [(CONTROL_TOWER, True)]
    assert plan_now()[0].empty
