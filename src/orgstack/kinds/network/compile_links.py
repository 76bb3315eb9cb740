"""The network's links out, checked at compile: whom RAM shares the Transit Gateways with (the
organization, or OUs that hold every member), and the on-premise link (a VPN or a Direct
Connect gateway, with the limits AWS puts on the latter)."""

from __future__ import annotations

from typing import Any

from orgstack.errors import Problem
from orgstack.kinds.network.schema import ONPREM, SECTION, NetworkSpec
from orgstack.spec.messages import did_you_mean
from orgstack.spec.yamlread import Located


def share_with(
    section: NetworkSpec,
    model: Any,
    members: dict[str, tuple[str, int]],
    located: Located,
    out: list[Problem],
) -> list[str]:
    """Whom the gateways are shared with (the organization, or OU paths); every member must
    be within one, or its account never sees the gateway it attaches to."""
    chosen = section.share_with
    ou_paths = [o.path for o in model.ous]
    for index, target in enumerate(chosen):
        pos = located.value_pos((SECTION, "share_with", index))
        if chosen.index(target) != index:
            out.append(pos.problem(f"{SECTION}.share_with: {target} is listed twice"))
        elif target == "organization" and len(chosen) > 1:
            out.append(
                pos.problem(
                    f"{SECTION}.share_with: organization holds every OU; list it alone or "
                    "list OUs only"
                )
            )
        elif target != "organization" and target[3:] not in ou_paths:
            out.append(
                pos.problem(
                    f"{SECTION}.share_with: no OU '{target[3:]}'"
                    f"{did_you_mean(target[3:], ou_paths)}"
                )
            )
    if "organization" in chosen:
        return ["organization"]
    paths = sorted({t[3:] for t in chosen})
    named = ", ".join(f"ou:{p}" for p in paths)
    for name in sorted(members):
        account = model.account(name)
        if account is not None and not any(model.within(account, p) for p in paths):
            out.append(
                located.value_pos((SECTION, "share_with")).problem(
                    f"{SECTION}.share_with: {name} (in {account.ou}) gets a VPC in "
                    f"{members[name][0]} but is in none of {named}: it would never "
                    "see the Transit Gateway; share with its OU too"
                )
            )
    return [f"ou:{p}" for p in paths]


def link(section: NetworkSpec, regions: list[str], located: Located, out: list[Problem]) -> None:
    """One on-premise link; a Direct Connect gateway's ASN private and not the Transit
    Gateway's, one Region, and something for it to advertise (AWS refuses each otherwise)."""
    onprem = section.onprem
    if onprem is None:
        return
    if (onprem.vpn is None) == (onprem.dx is None):
        out.append(
            located.key_pos((SECTION, "onprem")).problem(
                f"{SECTION}.onprem: declare vpn or dx, one of them (a static VPN's routes "
                "would take every route a Direct Connect gateway learns)"
            )
        )
    if onprem.dx is None:
        return
    asn, problems = onprem.dx.asn, []
    if 65534 < asn < 4200000000 or asn == section.asn:
        out.append(
            located.value_pos((SECTION, "onprem", "dx", "asn")).problem(
                f"{SECTION}.onprem.dx.asn: {asn} must be private (64512-65534 or "
                f"4200000000-4294967294) and not network.asn ({section.asn})"
            )
        )
    if len(regions) > 1:
        problems.append(
            f"{SECTION}.onprem.dx: a Direct Connect gateway needs a unique ASN per Transit "
            "Gateway, and network.asn is one: declare one Region"
        )
    reaches = section.segments.get(ONPREM)
    if reaches is not None and not [s for s in reaches.reaches if s in section.pools]:
        problems.append(
            f"{SECTION}.onprem.dx: it advertises the pools segment {ONPREM} reaches, and it "
            "reaches none"
        )
    out += [located.key_pos((SECTION, "onprem", "dx")).problem(p) for p in problems]
