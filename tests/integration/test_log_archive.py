"""The log archive and the organization trail on moto (with the sandbox's shims): the key, the
locked bucket, AWS Config's bucket and the access-log bucket in the log-archive account, the
trail in the management account writing to them; plan is empty afterwards; out-of-band
changes (trail stopped, bucket policy widened, lock shortened) are drift and the next apply
restores them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

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
        ("log-archive:log-archive/config-bucket", Action.CREATE),
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
        "OnlyBreakGlassDeletes",
        "OnlyBreakGlassAndOrgstackChangeTheBucket",
    ]
    org = boto3.client("organizations", region_name="us-east-1").describe_organization()[
        "Organization"
    ]
    org_id, management = org["Id"], org["MasterAccountId"]
    trail_arn = f"arn:aws:cloudtrail:eu-west-1:{management}:trail/orgstack-organization-trail"
    # Only the organization trail writes, into its own prefixes (CloudTrail's documented policy).
    assert policy["Statement"][2]["Condition"]["StringEquals"] == {
        "aws:SourceArn": [trail_arn],
        "aws:SourceOrgID": [org_id],
        "s3:x-amz-acl": ["bucket-owner-full-control"],
    }
    assert policy["Statement"][2]["Resource"] == [
        f"arn:aws:s3:::{bucket}/AWSLogs/{management}/*",
        f"arn:aws:s3:::{bucket}/AWSLogs/{org_id}/*",
    ]
    kms = member(archive, "kms")
    key_id = kms.describe_key(KeyId="alias/orgstack-logs")["KeyMetadata"]["KeyId"]
    key = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    encrypts = next(s for s in key["Statement"] if s["Sid"] == "CloudTrailEncryptsLogs")
    assert encrypts["Condition"] == {
        "StringEquals": {"aws:SourceArn": [trail_arn], "aws:SourceOrgID": [org_id]},
        "StringLike": {
            "kms:EncryptionContext:aws:cloudtrail:arn": [
                f"arn:aws:cloudtrail:*:{management}:trail/*"
            ]
        },
    }
    # AWS Config's own bucket: versioned, encrypted, guarded, never locked.
    config = f"{bucket}-config"
    assert s3.get_bucket_versioning(Bucket=config)["Status"] == "Enabled"
    with pytest.raises(ClientError, match="ObjectLockConfigurationNotFoundError"):
        s3.get_object_lock_configuration(Bucket=config)
    config_policy = json.loads(s3.get_bucket_policy(Bucket=config)["Policy"])
    assert [s["Sid"] for s in config_policy["Statement"]] == [
        "DenyInsecureTransport",
        "ConfigChecksTheBucket",
        "ConfigWritesLogs",
        "OnlyBreakGlassDeletes",
        "OnlyBreakGlassAndOrgstackChangeTheBucket",
    ]
    assert s3.get_bucket_logging(Bucket=config)["LoggingEnabled"] == {
        "TargetBucket": f"{bucket}-access",
        "TargetPrefix": "s3-access-config/",
    }
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


def test_expiry_covers_old_versions_of_both_buckets(aws: None, workdir: Path) -> None:
    """A versioned bucket keeps (and bills) every old version until a rule expires it: with
    expire_after_days, the lifecycle expires non-current versions too."""
    (workdir / "orgstack.yaml").write_text(
        SPEC.replace("{retention_days: 400}", "{expire_after_days: 800}")
    )
    assert apply_now(*plan_now()).ok
    archive = account_ids()["log-archive"]
    s3 = member(archive, "s3")
    for bucket in (f"acme-corp-logs-{archive}", f"acme-corp-logs-{archive}-config"):
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        assert [
            (r["ID"], r["Expiration"], r["NoncurrentVersionExpiration"], r["Transitions"])
            for r in rules
        ] == [
            (
                "orgstack-archive",
                {"Days": 800},
                {"NoncurrentDays": 800},
                [{"Days": 90, "StorageClass": "GLACIER_IR"}],
            )
        ]
    s3.put_bucket_lifecycle_configuration(
        Bucket=f"acme-corp-logs-{archive}",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "orgstack-archive",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 800},
                    "Transitions": [{"Days": 90, "StorageClass": "GLACIER_IR"}],
                }
            ]
        },
    )
    plan, data = plan_now()
    assert [(c.address, c.before) for c in plan.changes] == [
        (
            "log-archive:log-archive/bucket",
            {
                "lifecycle": {
                    "archive_after_days": 90,
                    "expire_after_days": 800,
                    "noncurrent_expire_after_days": None,
                }
            },
        )
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty
