"""Trusted access on moto: enabled by the plan when a kind needs it, read from the
organization read (no call of its own), never disabled when the spec stops needing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orgstack.plan.model import Action
from tests.integration.test_alternate_contacts import SPEC
from tests.integration.test_apply import apply_now, plan_now

ADDRESS = "trusted-access:organization/account.amazonaws.com"


def enabled(orgs: Any) -> list[str]:
    return [
        s["ServicePrincipal"]
        for s in orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    ]


def test_enabled_once_and_left_enabled(orgs: Any, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    assert [(c.address, c.action) for c in plan.changes if c.address == ADDRESS] == [
        (ADDRESS, Action.CREATE)
    ]
    assert apply_now(plan, data).ok
    assert enabled(orgs) == ["account.amazonaws.com"]
    assert plan_now()[0].empty
    spec.write_text(SPEC.split("alternate_contacts:", maxsplit=1)[0])
    plan, _ = plan_now()
    assert plan.empty and plan.unmanaged == ()
    assert enabled(orgs) == ["account.amazonaws.com"]


def test_access_enabled_by_hand_needs_nothing(orgs: Any, workdir: Path) -> None:
    orgs.create_organization(FeatureSet="ALL")
    orgs.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, _ = plan_now()
    assert [c.address for c in plan.changes if c.address.startswith("trusted-access:")] == []


def test_management_only_contacts_need_no_trusted_access(orgs: Any, workdir: Path) -> None:
    only_management = SPEC.replace("  web-dev: {purpose: workload, ou: root, stage: dev}\n", "")
    only_management = only_management.split("  accounts:\n    web-dev:", maxsplit=1)[0]
    (workdir / "orgstack.yaml").write_text(only_management)
    plan, data = plan_now()
    assert [
        (c.address, c.action) for c in plan.changes if ":" in c.address and "/" in c.address
    ] == [("alternate-contact:management/security", Action.CREATE)]
    assert apply_now(plan, data).ok
    assert enabled(orgs) == []
