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
from orgstack.kinds.config_recorders.desired import PREFIX, desired
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.model import Plan


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
    addresses = request.addresses(desired)
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {}
        for where in addresses:
            account, region = account_of(where), in_account(where)
            account_id = request.accounts.get(account)
            if account_id is None or (request.only is not None and account not in request.only):
                continue
            futures[where] = pool.submit(_recorder, ctx, account_id, region)
        for where, future in futures.items():
            live.found(where, future.result())
    return live


def section_from_plan(plan: Plan) -> list[str]:
    """The addresses of the plan's Config changes, for the stale check."""
    return [c.address for c in plan.changes if c.address.startswith(PREFIX + ":")]
