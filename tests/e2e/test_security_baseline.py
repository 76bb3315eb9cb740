"""The log archive and security accounts doing their jobs, as a user runs it: the standard
blueprint applied on the sandbox server, then read back with plain boto3 from another process
(trail, locked bucket, delegated administrators, GuardDuty, Security Hub with every other
account a member, Access Analyzer, Config delivering into its own bucket, guardrails); then
tampered with out of band and restored by the next plan and apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_sandbox import boto3_in_clean_env, exports, orgstack

pytestmark = pytest.mark.e2e

READ = """
import json, boto3
o = boto3.client("organizations")
ids = {a["Name"]: a["Id"] for a in o.list_accounts()["Accounts"]}
me = boto3.client("sts").get_caller_identity()["Account"]
def member(name, service):
    if ids[name] == me:
        return boto3.client(service)
    c = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{ids[name]}:role/OrganizationAccountAccessRole",
        RoleSessionName="reader")["Credentials"]
    return boto3.client(service, aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
bucket = f"example-logs-{ids['log-archive']}"
s3 = member("log-archive", "s3")
trail = boto3.client("cloudtrail").describe_trails()["trailList"][0]
status = boto3.client("cloudtrail").get_trail_status(Name=trail["Name"])
gd = member("security", "guardduty")
detector = gd.list_detectors()["DetectorIds"][0]
hub = member("security", "securityhub")
root = o.list_roots()["Roots"][0]["Id"]
found = {
    "trail": [trail["IsOrganizationTrail"], trail["IsMultiRegionTrail"],
              trail["LogFileValidationEnabled"], status["IsLogging"], trail["S3BucketName"] == bucket],
    "lock": s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"],
    "versioning": s3.get_bucket_versioning(Bucket=bucket)["Status"],
    "sids": [s["Sid"] for s in json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]],
    "delegated": sorted(s["ServicePrincipal"] for s in o.list_delegated_services_for_account(AccountId=ids["security"])["DelegatedServices"]),
    "guardduty": gd.describe_organization_configuration(DetectorId=detector)["AutoEnableOrganizationMembers"],
    "securityhub": [s["StandardsArn"].rsplit("/", 3)[-3] for s in hub.get_enabled_standards()["StandardsSubscriptions"]],
    "members": sorted(m["AccountId"] for m in hub.list_members(OnlyAssociated=False)["Members"] if m["MemberStatus"] == "Enabled"),
    "others": sorted(i for n, i in ids.items() if n != "security"),
    "member_standards": sorted({s["StandardsArn"].rsplit("/", 3)[-3] for n in ("app-prod", next(n for n, i in ids.items() if i == me)) for s in member(n, "securityhub").get_enabled_standards()["StandardsSubscriptions"]}),
    "channels": sorted({member(n, "config").describe_delivery_channels()["DeliveryChannels"][0]["s3BucketName"] for n in ids}),
    "analyzer": [a["name"] for a in member("security", "accessanalyzer").list_analyzers(type="ORGANIZATION")["analyzers"]],
    "recording": sorted(n for n in ids if member(n, "config").describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]["recording"]),
    "root_scps": sorted(p["Name"] for p in o.list_policies_for_target(TargetId=root, Filter="SERVICE_CONTROL_POLICY")["Policies"]),
    "bucket": bucket,
}
print(json.dumps(found))
"""
TAMPER = """
import json, boto3
o = boto3.client("organizations")
ids = {a["Name"]: a["Id"] for a in o.list_accounts()["Accounts"]}
c = boto3.client("sts").assume_role(
    RoleArn=f"arn:aws:iam::{ids['log-archive']}:role/OrganizationAccountAccessRole",
    RoleSessionName="intruder")["Credentials"]
s3 = boto3.client("s3", aws_access_key_id=c["AccessKeyId"],
    aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
bucket = f"example-logs-{ids['log-archive']}"
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
boto3.client("cloudtrail").stop_logging(Name="orgstack-organization-trail")
root = o.list_roots()["Roots"][0]["Id"]
policy = next(p for p in o.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"] == "protect-platform")
o.detach_policy(PolicyId=policy["Id"], TargetId=root)
print("tampered")
"""


def standard_applied(tmp_path: Path) -> dict[str, str]:
    """The enforcing sandbox started in ``tmp_path`` and the standard blueprint applied to it
    through the CLI; the environment that points boto3 at the sandbox."""
    started = orgstack(tmp_path, "sandbox", "start", "--enforce-iam")
    assert started.returncode == 0, started.stderr
    env = exports(started.stdout)
    made = orgstack(tmp_path, "init", "--blueprint", "standard", "--domain", "example.com")
    assert made.returncode == 0, made.stderr
    planned = orgstack(tmp_path, "plan", "--sandbox", "-o", "plan.json")
    assert planned.returncode == 0, planned.stderr
    applied = orgstack(tmp_path, "apply", "plan.json", "--sandbox")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    return env


def test_the_standard_blueprint_makes_the_security_baseline_and_keeps_it(
    tmp_path: Path,
) -> None:
    try:
        env = standard_applied(tmp_path)
        again = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr
        read = boto3_in_clean_env(env, READ)
        assert read.returncode == 0, read.stderr
        found = json.loads(read.stdout)
        assert found["trail"] == [True, True, True, True, True]
        assert (found["lock"], found["versioning"]) == ("COMPLIANCE", "Enabled")
        assert "OnlyBreakGlassDeletes" in found["sids"] and "DenyInsecureTransport" in found["sids"]
        assert found["delegated"] == [
            "access-analyzer.amazonaws.com",
            "config-multiaccountsetup.amazonaws.com",
            "config.amazonaws.com",
            "guardduty.amazonaws.com",
            "securityhub.amazonaws.com",
        ]
        assert found["guardduty"] == "ALL"
        assert found["securityhub"] == ["aws-foundational-security-best-practices"]
        # Every other account is a member, running the spec's standard only.
        assert found["members"] == found["others"] and len(found["members"]) == 10
        assert found["member_standards"] == ["aws-foundational-security-best-practices"]
        # Config delivers into its own bucket, never the Object-Lock bucket.
        assert found["channels"] == [f"{found['bucket']}-config"]
        assert found["analyzer"] == ["orgstack-organization"]
        assert len(found["recording"]) == 11  # every account records
        assert "protect-platform" in found["root_scps"]

        tampered = boto3_in_clean_env(env, TAMPER)
        assert tampered.returncode == 0, tampered.stderr
        drift = orgstack(tmp_path, "plan", "--sandbox", "-o", "restore.json")
        assert drift.returncode == 0, drift.stderr
        lines = [" ".join(line.split()) for line in drift.stdout.splitlines()]
        for line in (
            "+ scp:protect-platform attach → root",
            "~ org-trail:management/orgstack-organization-trail update restores logging",
            "~ bucket update changes policy",
            "Plan: 2 to update, 1 to attach.",
        ):
            assert line in lines, drift.stdout
        restored = orgstack(tmp_path, "apply", "restore.json", "--sandbox")
        assert restored.returncode == 0, restored.stdout + restored.stderr
        final = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert final.returncode == 0, final.stdout + final.stderr
    finally:
        orgstack(tmp_path, "sandbox", "stop")
