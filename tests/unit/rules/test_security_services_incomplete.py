"""LZ217 security-services-incomplete."""

from dataclasses import replace
from pathlib import Path

from orgstack.kinds.security_services.desired import desired as services
from tests.unit.rules.helpers import load, run, run_model, spec

TEXT = spec(
    """\
accounts:
  management: {purpose: management, ou: root}
  sec: {purpose: security, ou: root, id: '111122223333'}
security: {services: [guardduty, securityhub]}
"""
)
DETECTOR = "security-service:sec/eu-west-1/guardduty-detector"
HUB = "security-service:sec/eu-west-1/securityhub-hub"


def test_the_spec_and_an_intact_live_organization_pass(tmp_path: Path) -> None:
    model = load(tmp_path, TEXT)
    assert run("LZ217", TEXT, tmp_path) == []
    ids = {"account:sec": "111122223333"}
    live = services(model, ids)
    assert run_model("LZ217", replace(model, live_resources=live)) == []


def test_auto_enable_off_and_a_missing_hub_fail(tmp_path: Path) -> None:
    model = load(tmp_path, TEXT)
    ids = {"account:sec": "111122223333"}
    live = services(model, ids)
    live[DETECTOR] = {**live[DETECTOR], "auto_enable": "NONE"}
    del live[HUB]
    assert run_model("LZ217", replace(model, live_resources=live)) == [
        (DETECTOR, "auto_enable is 'NONE', not 'ALL'"),
        (HUB, "missing"),
    ]
