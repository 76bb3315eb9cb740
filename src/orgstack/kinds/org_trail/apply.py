"""Create or restore the organization trail in the management account, and keep it logging."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import in_account
from orgstack.plan.model import Change


def trail(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The trail as planned (created, or updated when it exists), then logging started.

    IAM actions: cloudtrail:CreateTrail, cloudtrail:UpdateTrail, cloudtrail:StartLogging,
    cloudtrail:StopLogging, iam:CreateServiceLinkedRole,
    organizations:ListAWSServiceAccessForOrganization
    """
    after = ctx.resolved(change.after or {})
    name = in_account(change.address)
    client = ctx.aws.client("cloudtrail", after.get("region"))
    settings = {
        "Name": name,
        "S3BucketName": after["bucket"],
        "IsMultiRegionTrail": after["multi_region"],
        "IncludeGlobalServiceEvents": after["global_events"],
        "EnableLogFileValidation": after["log_file_validation"],
        "IsOrganizationTrail": after["organization"],
        "KmsKeyId": after["kms_key"],
    }

    def create_or_update() -> None:
        try:
            ctx.aws.call(client, "create_trail", **settings)
        except AwsError as exc:
            if exc.code != "TrailAlreadyExistsException":
                raise
            ctx.aws.call(client, "update_trail", **settings)

    # CloudTrail checks the bucket policy, the key policy and trusted access as it creates the
    # trail; each was set moments ago by this apply and may not have propagated yet.
    ctx.propagated(PROPAGATING, create_or_update)
    ctx.checkpoint(index, "created")
    operation = "start_logging" if after["logging"] else "stop_logging"
    ctx.aws.call(client, operation, Name=name)
    ctx.checkpoint(index, "called")
    return {}


#: What CloudTrail answers while the log archive's policies or trusted access propagate.
PROPAGATING = frozenset(
    {
        "InsufficientS3BucketPolicyException",
        "InsufficientEncryptionPolicyException",
        "CloudTrailAccessNotEnabledException",
        "KmsKeyNotFoundException",
    }
)
EXECUTORS = {("", "create"): trail, ("", "update"): trail}
