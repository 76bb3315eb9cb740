"""Record every resource in the account and Region into the log archive: the service-linked
role (once per account), the recorder, the delivery channel, then recording started. AWS
allows one recorder and one delivery channel per account and Region: ones that exist under
another name (Control Tower's ``aws-controltower-BaselineConfigRecorder``, say) are adopted
and set as planned, never refused."""

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


def _names(ctx: ExecContext, config: Any) -> tuple[str, str]:
    """The recorder's and the channel's names: the ones the Region has (any name), else
    ``default``. Service-linked recorders (``servicePrincipal``) are AWS services' own."""
    recorders = ctx.aws.call(config, "describe_configuration_recorders").get(
        "ConfigurationRecorders", []
    )
    ours = [r["name"] for r in recorders if not r.get("servicePrincipal")]
    channels = ctx.aws.call(config, "describe_delivery_channels").get("DeliveryChannels", [])
    return (ours[0] if ours else NAME), (channels[0]["name"] if channels else NAME)


def recorder(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Config's recorder and delivery channel as planned (the Region's own adopted, whatever
    their names), and recording on.

    IAM actions: iam:CreateServiceLinkedRole, iam:PassRole, config:DescribeConfigurationRecorders,
    config:DescribeDeliveryChannels, config:PutConfigurationRecorder, config:PutDeliveryChannel,
    config:StartConfigurationRecorder
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
    name, channel = _names(ctx, config)
    ctx.propagated(
        ROLE_PROPAGATING,
        lambda: ctx.aws.call(
            config,
            "put_configuration_recorder",
            ConfigurationRecorder={
                "name": name,
                "roleARN": after["role"],
                "recordingGroup": {
                    "allSupported": after["all_supported"],
                    "includeGlobalResourceTypes": after["global_resources"],
                },
            },
        ),
    )
    ctx.checkpoint(index, "created")
    # Config writes a test object as it saves the channel: the bucket's policy may still be
    # propagating when the bucket was made moments ago by this apply.
    ctx.propagated(
        BUCKET_PROPAGATING,
        lambda: ctx.aws.call(
            config,
            "put_delivery_channel",
            DeliveryChannel={"name": channel, "s3BucketName": after["bucket"]},
        ),
    )
    if after["recording"]:
        ctx.aws.call(config, "start_configuration_recorder", ConfigurationRecorderName=name)
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {("", "create"): recorder, ("", "update"): recorder}
