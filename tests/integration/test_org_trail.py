"""The organization trail on moto: AWS shows a trail's key as the key's ARN, which reads back
as the alias ARN the spec names (no endless update); a trail edited out of band (a single
Region, no file validation, another bucket) is restored; the stale check re-reads it."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from orgstack.apply.context import ApplyError
from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import SPEC, member

#: With the guardrail that keeps the break-glass role orgstack's (LZ216 asks for it).
GUARDED = SPEC + (
    "policies:\n  glass: {type: service_control, guardrails: [protect-break-glass-role], "
    "targets: [root]}\n"
)

TRAIL = "orgstack-organization-trail"


def test_the_key_arn_aws_shows_reads_as_the_alias(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    archive = account_ids()["log-archive"]
    key = member(archive, "kms").describe_key(KeyId="alias/orgstack-logs")["KeyMetadata"]["Arn"]
    cloudtrail = boto3.client("cloudtrail", region_name="eu-west-1")
    cloudtrail.update_trail(Name=TRAIL, KmsKeyId=key)  # what AWS itself shows
    assert plan_now()[0].empty


def test_a_trail_edited_out_of_band_is_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    cloudtrail = boto3.client("cloudtrail", region_name="eu-west-1")
    cloudtrail.update_trail(Name=TRAIL, IsMultiRegionTrail=False, EnableLogFileValidation=False)
    plan, data = plan_now()
    change = next(c for c in plan.changes if c.address.startswith("org-trail:"))
    assert (change.action, change.before) == (
        Action.UPDATE,
        {"multi_region": False, "log_file_validation": False},
    )
    assert apply_now(plan, data).ok
    found = cloudtrail.describe_trails(trailNameList=[TRAIL])["trailList"][0]
    assert found["IsMultiRegionTrail"] and found["LogFileValidationEnabled"]
    assert plan_now()[0].empty


def test_a_trail_changed_after_the_plan_makes_it_stale(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    cloudtrail = boto3.client("cloudtrail", region_name="eu-west-1")
    cloudtrail.stop_logging(Name=TRAIL)
    plan, data = plan_now()
    cloudtrail.update_trail(Name=TRAIL, IsMultiRegionTrail=False)
    with pytest.raises(ApplyError, match="the plan is stale"):
        apply_now(plan, data)


def test_audit_judges_the_trail_and_the_bucket_as_aws_has_them(aws: None, workdir: Path) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(GUARDED)
    assert apply_now(*plan_now()).ok
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ214", "LZ215", "LZ216"))
    assert report.findings == ()
    boto3.client("cloudtrail", region_name="eu-west-1").stop_logging(Name=TRAIL)
    archive = account_ids()["log-archive"]
    member(archive, "s3").put_public_access_block(
        Bucket=f"acme-corp-logs-{archive}",
        PublicAccessBlockConfiguration=dict.fromkeys(
            ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"),
            False,
        ),
    )
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ214", "LZ215", "LZ216"))
    assert [(f.rule_id, f.message) for f in report.findings] == [
        ("LZ214", "trail orgstack-organization-trail: stopped"),
        ("LZ215", f"acme-corp-logs-{archive}: public access is not fully blocked"),
    ]


def test_a_locked_bucket_cannot_lose_versioning_in_the_sandbox(aws: None, workdir: Path) -> None:
    """AWS refuses it; so does the sandbox (shim locked_buckets_stay_versioned)."""
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    archive = account_ids()["log-archive"]
    s3 = member(archive, "s3")
    with pytest.raises(s3.exceptions.ClientError, match="InvalidBucketState"):
        s3.put_bucket_versioning(
            Bucket=f"acme-corp-logs-{archive}", VersioningConfiguration={"Status": "Suspended"}
        )


def test_a_bucket_policy_still_propagating_is_waited_for(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real CloudTrail refuses a trail for a while after the bucket policy is set
    (InsufficientS3BucketPolicyException); apply waits and tries again, a few times."""
    from moto.cloudtrail.models import CloudTrailBackend
    from moto.core.exceptions import JsonRESTError

    refusals = {"left": 2}
    original = CloudTrailBackend.create_trail

    def create_trail(self: object, *args: object, **kwargs: object) -> object:
        if refusals["left"]:
            refusals["left"] -= 1
            raise JsonRESTError(
                "InsufficientS3BucketPolicyException",
                "Incorrect S3 bucket policy is detected for bucket",
            )
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CloudTrailBackend, "create_trail", create_trail)
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    assert refusals["left"] == 0
    assert plan_now()[0].empty


def test_a_bucket_policy_that_never_propagates_fails_clearly(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.cloudtrail.models import CloudTrailBackend
    from moto.core.exceptions import JsonRESTError

    def create_trail(self: object, *args: object, **kwargs: object) -> object:
        raise JsonRESTError("InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy")

    monkeypatch.setattr(CloudTrailBackend, "create_trail", create_trail)
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    result = apply_now(plan, data)
    failed = {plan.changes[i].address: str(e) for i, e in result.outcome.failed.items()}
    assert list(failed) == ["org-trail:management/orgstack-organization-trail"]
    assert (
        "Incorrect S3 bucket policy" in failed["org-trail:management/orgstack-organization-trail"]
    )
