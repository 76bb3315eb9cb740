"""The network kind's desired resources, from the compiled ``network:`` section (pure); the
names and builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.kinds.network.vocabulary import (
    DESCRIPTION,
    ONPREM,
    SECTION,
    SHARE,
    address,
    advertised,
    destinations,
    subnets,
    table,
)
from orgstack.model import OrgModel
from orgstack.plan.resources import account_ref, organization_ref, ou_ref


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    management = model.management
    if not section or management is None:
        return {}
    network = section["account"]
    prefix = f"arn:aws:organizations::{account_ref(management.name, ids)}:"
    principals = sorted(
        f"{prefix}organization/{organization_ref(ids)}"
        if target == "organization"
        else f"{prefix}ou/{organization_ref(ids)}/{ou_ref(target[3:], ids)}"
        for target in section["share_with"]
    )
    found: dict[str, dict[str, Any]] = {
        address(management.name, section["regions"][0], "sharing"): {"enabled": True}
    }
    for region in section["regions"]:
        found[address(network, region, "gateway")] = {
            "region": region,
            "asn": section["asn"],
            "description": DESCRIPTION,
            "default_association": False,
            "default_propagation": False,
            "auto_accept": False,
        }
        found[address(network, region, "share")] = {
            "region": region,
            "name": SHARE,
            "principals": principals,
            "external": False,
        }
        onprem = section.get("onprem") or {}
        if onprem.get("vpn"):
            found[address(network, region, "onprem")] = {
                "region": region,
                "ip": onprem["vpn"]["ip"],
                "asn": onprem["vpn"]["asn"],
                "static": True,
            }
        if onprem.get("dx"):
            found[address(network, region, "dx")] = {
                "region": region,
                "name": onprem["dx"]["name"],
                "asn": onprem["dx"]["asn"],
                "allowed": advertised(section),
            }
        for segment in sorted(section["segments"]):
            if segment == ONPREM and not section.get("onprem"):
                continue
            found[address(network, region, "table", segment)] = {
                "region": region,
                **table(section, segment),
            }
        for account, segment in section["members"].items():
            cidr = section["ranges"][account][region]
            found[address(account, region, "vpc")] = {
                "region": region,
                "name": section["vpc"]["name"],
                "cidr": cidr,
                "subnets": subnets(cidr, section["vpc"]["zones"]),
                "segment": segment,
            }
            found[address(account, region, "attachment")] = {
                "region": region,
                "network": network,
                "segment": segment,
                "accepted": True,
            }
            found[address(account, region, "routes")] = {
                "region": region,
                "destinations": destinations(section, segment),
            }
    return found
