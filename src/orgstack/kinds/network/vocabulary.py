"""The network kind's names and builders: addresses, the tags that mark what orgstack made, a
VPC's subnets, and what each segment's route table and each VPC route to, from the compiled
``network:`` section."""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Network
from typing import Any

from orgstack.model.kind import resource_address

PREFIX = "network"
SECTION = "network"
#: The tag on every resource orgstack makes (value: what it is), and the segment's tag.
TAG = "orgstack:network"
SEGMENT_TAG = "orgstack:segment"
#: The Transit Gateway's description: what a member account, which cannot read the network
#: account's tags, finds it by (with its owner).
DESCRIPTION = "orgstack: the organization's Transit Gateway"
SHARE = "orgstack-transit-gateway"
#: The on-premise link's owner in a table's associations and propagations.
ONPREM = "onprem"
#: RAM's service-linked role: it exists once sharing within the organization is on.
RAM_ROLE = "AWSServiceRoleForResourceAccessManager"


def order(cidr: str) -> tuple[int, int]:
    """The one order of ranges that plan compares: by address, then by size (largest first)."""
    network = IPv4Network(cidr)
    return int(network.network_address), network.prefixlen


def tagged(items: list[Any], key: str, value: str) -> list[Any]:
    """The items whose tags hold ``key: value`` (checked here too: a filter by tag is not
    answered by every API alike)."""
    return [i for i in items if {"Key": key, "Value": value} in (i.get("Tags") or [])]


def address(account: str, region: str, part: str, *rest: str) -> str:
    return resource_address(PREFIX, account, region, part, *rest)


def subnets(cidr: str, zones: int) -> list[str]:
    """The VPC's private subnets, one per zone: the range split in equal halves, quarters…"""
    vpc = IPv4Network(cidr)
    bits = max(zones - 1, 0).bit_length()
    return [str(s) for s in list(vpc.subnets(prefixlen_diff=bits))[:zones]]


def members_of(section: Mapping[str, Any], segment: str) -> list[str]:
    return sorted(a for a, s in section["members"].items() if s == segment)


def table(section: Mapping[str, Any], segment: str) -> dict[str, Any]:
    """A segment's route table: its own attachments associated; the attachments of itself and
    of every segment it reaches propagated; on-premise, when it reaches it, by static routes
    to the VPN or by propagation from the Direct Connect gateway (routes learned by BGP)."""
    reaches = section["segments"][segment]["reaches"]
    onprem = section.get("onprem") or {}
    if segment == ONPREM:
        associations = [ONPREM]
        propagations = sorted({a for s in reaches for a in members_of(section, s)})
    else:
        associations = members_of(section, segment)
        propagations = sorted(
            {a for s in (segment, *reaches) if s != ONPREM for a in members_of(section, s)}
            | ({ONPREM} if ONPREM in reaches and onprem.get("dx") else set())
        )
    static = ONPREM in reaches and onprem.get("vpn")
    routes = dict.fromkeys(onprem.get("prefixes", []), ONPREM) if static else {}
    return {
        "segment": segment,
        "associations": associations,
        "propagations": propagations,
        "routes": routes,
    }


def advertised(section: Mapping[str, Any]) -> list[str]:
    """What the Direct Connect gateway advertises to on-premise (its allowed prefixes): the
    pools of the segments on-premise reaches."""
    reaches = section["segments"].get(ONPREM, {}).get("reaches", [])
    return sorted({section["pools"][s] for s in reaches if s in section["pools"]}, key=order)


def destinations(section: Mapping[str, Any], segment: str) -> list[str]:
    """What a VPC of ``segment`` routes to the Transit Gateway: its own and every reached
    segment's pool, and on-premise's ranges when it reaches it."""
    found = [section["pools"][segment]]
    for there in section["segments"][segment]["reaches"]:
        if there == ONPREM:
            found += (section.get("onprem") or {}).get("prefixes", [])
        elif there in section["pools"]:
            found.append(section["pools"][there])
    return sorted(set(found), key=order)
