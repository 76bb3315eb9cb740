"""LZ112 prod-account-outside-prod-ou."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec

OUS = "organizational_units: {Workloads: {children: {Production: {}}}}\n"


def test_prod_account_in_a_prod_ou_passes(tmp_path: Path) -> None:
    text = spec(
        OUS + "accounts:\n  web: {purpose: workload, stage: prod, ou: Workloads/Production}\n"
    )
    assert run("LZ112", text, tmp_path) == []


def test_prod_account_elsewhere_fails(tmp_path: Path) -> None:
    text = spec(OUS + "accounts:\n  web: {purpose: workload, stage: prod, ou: Workloads}\n")
    assert run("LZ112", text, tmp_path) == [
        ("account:web", "prod account web is in Workloads, not in a Prod OU")
    ]
