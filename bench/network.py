"""The network at scale (``make bench``): 1,000 stage accounts, each with its VPC attached to the
network account's Transit Gateway; the no-op plan's calls against the minimum, its wall time
through the throttling proxy, and the member reads overlapped with the organization read.

``python -m bench.network`` runs it alone (prints JSON and the target)."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from bench.harness import Shape, minimum_calls, sandbox, seed
from bench.speed import THROTTLE, direct, imported, through_proxy
from orgstack import api
from orgstack.apply.context import ApplyOptions
from orgstack.plan.planfile import plan_to_dict

#: On AWS, DescribeTransitGatewayAttachments and the route table association and propagation
#: reads answer at most 1,000 items a page.
TGW_PAGE = 1000
#: The emulator's ListAccounts page (AWS's is 20).
LIST_ACCOUNTS_PAGE = 100


def network_section(shape: Shape) -> str:
    """Every account of the organization in one segment, /24 VPCs from a pool that holds
    them; the first account is the network account."""
    tops = ", ".join(f"BU{i}" for i in range(shape.tops))
    return f"""
network:
  account: acct-0
  pools: {{work: 10.0.0.0/12}}
  segments: {{work: {{}}}}
  members: [{{accounts: {{ou: [{tops}]}}, segment: work, prefix: 24}}]
  vpc: {{prefix: 24, zones: 2}}
"""


def network_minimum(members: int, regions: int = 1, tables: int = 1) -> dict[str, int]:
    """The fewest calls that read the network a plan needs.

    Per member account and Region: DescribeVpcs, DescribeSubnets,
    DescribeTransitGatewayVpcAttachments, DescribeRouteTables (4; each filters by the VPC, so
    the last three wait for the first's answer) and one AssumeRole per member account. In the
    network account, per Region: DescribeTransitGateways, GetResourceShares,
    GetResourceShareAssociations, DescribeTransitGatewayAttachments (a page per 1,000),
    DescribeTransitGatewayRouteTables, and per table GetTransitGatewayRouteTableAssociations and
    …Propagations (a page per 1,000 each) and SearchTransitGatewayRoutes. In the management
    account, GetRole (RAM's service-linked role: sharing within the organization)."""
    pages = math.ceil(members / TGW_PAGE)
    member = 4 * members * regions + members
    hub = regions * (4 + pages + tables * (2 * pages + 1))
    return {"member": member, "hub": hub + 1, "total": member + hub + 1}


def network_plan(accounts: int = 1000) -> dict[str, Any]:
    """Seed, import, apply the network straight to the emulator, then the no-op plan through
    the proxy (latency and throttling)."""
    shape = Shape(accounts, scps=1)
    with sandbox() as (state, workdir):
        counts = seed(state.endpoint, shape)
        spec = imported(state.endpoint, workdir)
        spec.write_text(spec.read_text() + network_section(shape))
        made = api.make_plan(str(spec), direct(state.endpoint))
        data = plan_to_dict(made.plan, str(spec))
        quick = ApplyOptions(max_workers=16, poll_initial_s=0.05, poll_max_s=0.2)
        applied = api.apply_plan(made.plan, data, direct(state.endpoint), quick)
        api.record_created_ids(made.plan, data, applied.outcome.done)
        measured = through_proxy(state.endpoint, spec, THROTTLE)
    # With a kind that reads member accounts, the organization read also lists every account
    # first (ListAccounts), so member reads start before the tree is walked: AWS answers 20 a
    # page, the emulator 100 (counted as the emulator pages, as the measurement is).
    early = math.ceil((accounts + 1) / LIST_ACCOUNTS_PAGE)
    minimum = minimum_calls(shape, counts)["total"] + early + network_minimum(accounts)["total"]
    failed = {
        made.plan.changes[i].address: str(e)[:300]
        for i, e in list(applied.outcome.failed.items())[:3]
    }
    if not measured["ok"]:
        return {"accounts": accounts, "applied": applied.ok, "failed": failed, **measured}
    spans = measured["spans"]
    overlapped = spans["ec2"][0] < spans["organizations"][1]
    families = {k: v for k, v in measured["by_family"].items() if k not in ("ec2", "sts")}
    # EC2 and STS are per account: 5 calls in each member account do not approach 50/s there.
    busiest = max(families, key=lambda f: families[f])
    bound = families[busiest] / THROTTLE
    return {
        "accounts": accounts,
        "applied": applied.ok,
        "failed": failed,
        "applied_changes": len(made.plan.changes),
        **measured,
        "minimum_calls": minimum,
        "calls_vs_minimum": round(measured["calls"] / minimum, 3),
        "busiest_family": busiest,
        "bound_s": round(bound, 2),
        "wall_vs_bound": round(measured["wall_s"] / bound, 2),
        "overlapped": overlapped,
    }


def targets(results: dict[str, Any]) -> list[str]:
    n = results.get("network")
    if not n or not n.get("ok"):
        return ["network plan of 1,000 stage accounts: failed — missed"] if n else []
    ok = n["calls_vs_minimum"] <= 1.0 and n["changes"] == 0 and n["overlapped"]
    return [
        f"no-op plan of {n['accounts']:,} stage accounts with their VPCs: {n['calls']:,} calls, "
        f"{n['calls_vs_minimum']}× the minimum (≤ 1.0×), {n['changes']:,} changes left after "
        "apply (0), network reads "
        f"overlapped with the organization read: {n['overlapped']} — " + ("met" if ok else "missed")
    ]


def markdown(results: dict[str, Any]) -> list[str]:
    n = results.get("network")
    if not n:
        return []
    lines = ["", f"### Network of {n['accounts']:,} stage accounts", ""]
    if not n.get("ok"):
        return [*lines, f"Failed: {n.get('error', '')[-300:]}"]
    spans = n["spans"]
    minimum = network_minimum(n["accounts"])
    lines += [
        f"Every account of an imported organization of {n['accounts']:,} accounts gets a /24 VPC "
        "(two private subnets, a route table) attached to one Transit Gateway in one segment; "
        + (
            f"the apply made {n['applied_changes']:,} changes. "
            if n.get("applied")
            else f"the apply of {n['applied_changes']:,} changes failed ({n.get('failed')}), "
            f"{n['changes']:,} were left. "
        )
        + "The plan after it, through the "
        f"proxy ({THROTTLE:.0f} requests/s per family): {n['calls']:,} calls against a minimum of "
        f"{n['minimum_calls']:,} ({n['calls_vs_minimum']}×): the organization's (as above, with "
        "the ListAccounts pages that let member reads start before the tree is walked) and the "
        f"network's, 4 per member account and Region plus its AssumeRole ({minimum['member']:,}), "
        f"{minimum['hub']} in the network and management accounts (formula in "
        "`bench/network.py`). "
        + ", ".join(f"{k} {v:,}" for k, v in n["by_family"].items())
        + f"; {n['wall_s']} s, the busiest account-wide family ({n['busiest_family']}) bounding "
        f"it at {n['bound_s']} s ({n['wall_vs_bound']}×). Organizations calls from "
        f"{spans['organizations'][0]} s to {spans['organizations'][1]} s, EC2 from "
        f"{spans['ec2'][0]} s to {spans['ec2'][1]} s: overlapped {n['overlapped']}. Peak RSS "
        f"{n['peak_rss_mib']} MiB; {n['throttled']} requests throttled.",
    ]
    return lines


def main() -> None:
    accounts = int(sys.argv[1]) if sys.argv[1:] else 1000
    results = {"network": network_plan(accounts)}
    print(json.dumps(results, indent=1)[-6000:])
    print("\n".join(targets(results)))


if __name__ == "__main__":
    main()
