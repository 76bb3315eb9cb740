"""One plan line for a part of the network."""

from __future__ import annotations

from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


def _list(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "") or "none"


def detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    parts = in_account(change.address).split("/")
    region, part = parts[0], parts[1]
    if change.action == Action.DELETE:
        return f"left in place in {region} (orgstack never deletes network resources)"
    if change.action == Action.UPDATE:
        changed = ", ".join(sorted(k for k in before if before.get(k) != after.get(k))) or "nothing"
        return f"{region}: sets {changed} as the spec has it"
    if part == "sharing":
        return "resource sharing within the organization (RAM) on"
    if part == "gateway":
        return f"{region}: Transit Gateway, ASN {after.get('asn')}, no default route table"
    if part == "share":
        return (
            f"{region}: the Transit Gateway shared with {_whom(after.get('principals', []))} only"
        )
    if part == "dx":
        return (
            f"{region}: Direct Connect gateway {after.get('name')} (ASN {after.get('asn')}) "
            f"associated, advertising {_list(after.get('allowed', []))} to on-premise"
        )
    if part == "onprem":
        return (
            f"{region}: site-to-site VPN to {after.get('ip')} (ASN {after.get('asn')}), "
            "static routes"
        )
    if part == "table":
        return (
            f"{region}: segment {parts[2]}: associates {_list(after.get('associations', []))}; "
            f"routes to {_list(after.get('propagations', []))}"
            + (
                f" and on-premise {_list(sorted(after.get('routes', {})))}"
                if after.get("routes")
                else ""
            )
        )
    if part == "vpc":
        subnets = len(after.get("subnets", []))
        return (
            f"{region}: VPC {after.get('cidr')} ({after.get('segment')}), {subnets} private subnets"
        )
    if part == "attachment":
        return (
            f"{region}: attached to {after.get('network')}'s Transit Gateway, "
            f"segment {after.get('segment')}, accepted there"
        )
    return f"{region}: routes {_list(after.get('destinations', []))} to the Transit Gateway"


def _whom(principals: list[str]) -> str:
    """``the organization`` or the OUs (by path while the plan creates them, else by id)."""
    found = []
    for principal in principals:
        if ":organization/" in principal:
            found.append("the organization")
        else:
            ou = principal.rsplit("/", 1)[-1]
            found.append(f"ou:{ou[4:-1]}" if ou.startswith("{ou:") else ou)
    return ", ".join(found) or "no one"
