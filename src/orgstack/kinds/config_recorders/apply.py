"""Record every resource in the account and Region into the log archive: the service-linked
role (once per account), the recorder, the delivery channel, then recording started."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import account_of
from orgstack.plan.model import Change

NAME = "default"
#: What Config answers while a service-linked role made moments ago propagates.
ROLE_PROPAGATING = frozenset({"InvalidRoleException"})
#: What Config answers while the log bucket or its policy propagates.
BUCKET_PROPAGATING = frozenset({"InsufficientDeliveryPolicyException", "NoSuchBucketException"})


def recorder(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Config's recorder and delivery channel as planned, and recording on.

    IAM actions: iam:CreateServiceLinkedRole, iam:PassRole, config:PutConfigurationRecorder,
    config:PutDeliveryChannel, config:StartConfigurationRecorder
    """
    after = ctx.resolved(change.after or {})
    account = account_of(change.address)
    iam = ctx.member_client(account, "iam")
    try:
        ctx.aws.call(iam, "create_service_linked_role", AWSServiceName="config.amazonaws.com")
    except AwsError as exc:  # made already (by an earlier Region, or by AWS Config itself)
        if exc.code not in ("InvalidInput", "EntityAlreadyExists"):
            raise
    config = ctx.member_client(account, "config", after["region"])
    ctx.propagated(
        ROLE_PROPAGATING,
        lambda: ctx.aws.call(
            config,
            "put_configuration_recorder",
            ConfigurationRecorder={
                "name": NAME,
                "roleARN": after["role"],
                "recordingGroup": {
                    "allSupported": after["all_supported"],
                    "includeGlobalResourceTypes": after["global_resources"],
                },
            },
        ),
    )
    ctx.checkpoint(index, "created")
    ctx.aws.call(
        config,
        "put_delivery_channel",
        DeliveryChannel={"name": NAME, "s3BucketName": after["bucket"]},
    )
    if after["recording"]:
        ctx.aws.call(config, "start_configuration_recorder", ConfigurationRecorderName=NAME)
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {("", "create"): recorder, ("", "update"): recorder}
