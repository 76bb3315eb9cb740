"""The log archive and the organization trail on moto (with the sandbox's shims): the key, the
locked bucket and the access-log bucket in the log-archive account, the trail in the
management account writing to them; plan is empty afterwards; out-of-band changes (trail
stopped, bucket policy widened, lock shortened) are drift and the next apply restores them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now

SPEC = """\
organization: {name: Acme Corp, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root}
  security: {purpose: security, ou: root}
logging: {retention_days: 400}
"""


def member(account_id: str, service: str, region: str = "eu-west-1") -> Any:
    role = f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
    creds = boto3.client("sts", region_name="eu-west-1").assume_role(
        RoleArn=role, RoleSessionName="test"
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )
    return session.client(service)  # type: ignore[call-overload]


def kind_changes(plan: Any) -> list[tuple[str, Action]]:
    return [
        (c.address, c.action)
        for c in plan.changes
        if c.address.startswith(("log-archive:", "org-trail:"))
    ]


def test_the_archive_and_the_trail_are_made_and_read_back(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert kind_changes(plan) == [
        ("log-archive:log-archive/key", Action.CREATE),
        ("log-archive:log-archive/access-logs", Action.CREATE),
        ("log-archive:log-archive/bucket", Action.CREATE),
        ("org-trail:management/orgstack-organization-trail", Action.CREATE),
    ]
    assert "trusted-access:organization/cloudtrail.amazonaws.com" in {
        c.address for c in plan.changes
    }
    assert apply_now(plan, data).ok
    archive = account_ids()["log-archive"]
    bucket = f"acme-corp-logs-{archive}"
    s3 = member(archive, "s3")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    retention = lock["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == ("COMPLIANCE", 400)
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": f"arn:aws:kms:eu-west-1:{archive}:alias/orgstack-logs",
    }
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == [
        "DenyInsecureTransport",
        "CloudTrailChecksTheBucket",
        "CloudTrailWritesLogs",
        "ConfigChecksTheBucket",
        "ConfigWritesLogs",
        "OnlyBreakGlassDeletes",
        "OnlyBreakGlassAndOrgstackChangeTheBucket",
    ]
    org_id = boto3.client("organizations", region_name="us-east-1").describe_organization()[
        "Organization"
    ]["Id"]
    assert policy["Statement"][2]["Condition"]["StringEquals"]["aws:SourceOrgID"] == [org_id]
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {
        "TargetBucket": f"{bucket}-access",
        "TargetPrefix": "s3-access/",
    }
    trail = boto3.client("cloudtrail", region_name="eu-west-1")
    found = trail.describe_trails(trailNameList=["orgstack-organization-trail"])["trailList"][0]
    assert (found["S3BucketName"], found["IsOrganizationTrail"], found["IsMultiRegionTrail"]) == (
        bucket, True, True,
    )  # fmt: skip
    assert found["LogFileValidationEnabled"] and found["IncludeGlobalServiceEvents"]
    assert trail.get_trail_status(Name="orgstack-organization-trail")["IsLogging"]
    assert plan_now()[0].empty


def test_out_of_band_changes_are_drift_and_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    archive = account_ids()["log-archive"]
    bucket = f"acme-corp-logs-{archive}"
    s3 = member(archive, "s3")
    boto3.client("cloudtrail", region_name="eu-west-1").stop_logging(
        Name="orgstack-organization-trail"
    )
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                ],
            }
        ),
    )
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
        },
    )
    plan, data = plan_now()
    assert kind_changes(plan) == [
        ("log-archive:log-archive/bucket", Action.UPDATE),
        ("org-trail:management/orgstack-organization-trail", Action.UPDATE),
    ]
    bucket_change = plan.changes[
        [c.address for c in plan.changes].index("log-archive:log-archive/bucket")
    ]
    # An update's before holds the settings that differ; its after the whole bucket.
    assert sorted(bucket_change.before or {}) == ["object_lock", "policy"]
    assert apply_now(plan, data).ok
    lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    retention = lock["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == ("COMPLIANCE", 400)
    assert boto3.client("cloudtrail", region_name="eu-west-1").get_trail_status(
        Name="orgstack-organization-trail"
    )["IsLogging"]
    assert plan_now()[0].empty


def test_plain_moto_lacks_what_the_storage_shims_add() -> None:
    """Without the shims moto crashes on a logging target whose policy names "*" and lets a
    locked bucket's versioning be suspended."""
    import subprocess
    import sys

    script = """
import json, boto3
from moto import mock_aws
with mock_aws():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="org-logs", ObjectLockEnabledForBucket=True)
    s3.create_bucket(Bucket="org-access")
    s3.put_bucket_policy(Bucket="org-access", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::org-access/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_bucket_versioning(Bucket="org-logs", VersioningConfiguration={"Status": "Suspended"})
    print("suspended:", s3.get_bucket_versioning(Bucket="org-logs")["Status"])
    try:
        s3.put_bucket_logging(Bucket="org-logs", BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "org-access", "TargetPrefix": "x/"}})
    except Exception as e:
        print("crash:", type(e).__name__)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["suspended: Suspended", "crash: AttributeError"]
