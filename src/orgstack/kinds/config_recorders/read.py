"""Read AWS Config in every account and Region the spec names (through the access role; the
management account directly), all concurrently: the recorder (whatever its name: AWS allows
one per Region), whether it records, and the delivery channel.

IAM actions: sts:AssumeRole, config:DescribeConfigurationRecorders,
config:DescribeConfigurationRecorderStatus, config:DescribeDeliveryChannels
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.model.kind import Live, ReadRequest, in_account


def _recorder(ctx: ReadContext, account_id: str, region: str) -> dict[str, Any] | None:
    client = ctx.member(account_id, "config", region)
    recorders = [
        r
        for r in ctx.call(client, "describe_configuration_recorders").get(
            "ConfigurationRecorders", []
        )
        if not r.get("servicePrincipal")  # a service-linked recorder is an AWS service's own
    ]
    if not recorders:
        return None
    recorder = recorders[0]
    group = recorder.get("recordingGroup", {})
    status = [
        s
        for s in ctx.call(client, "describe_configuration_recorder_status").get(
            "ConfigurationRecordersStatus", []
        )
        if s.get("name") == recorder.get("name")
    ]
    channels = ctx.call(client, "describe_delivery_channels").get("DeliveryChannels", [])
    return {
        "recording": bool(status and status[0].get("recording")),
        "all_supported": bool(group.get("allSupported")),
        "global_resources": bool(group.get("includeGlobalResourceTypes")),
        "role": recorder.get("roleARN"),
        "bucket": channels[0].get("s3BucketName") if channels else None,
        "region": region,
    }


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {
            where: pool.submit(_recorder, ctx, account_id, in_account(where))
            for where, (account_id, _) in request.readable().items()
        }
        for where, future in futures.items():
            live.found(where, future.result())
    return live
