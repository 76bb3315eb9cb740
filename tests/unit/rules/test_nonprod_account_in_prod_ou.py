"""LZ113 nonprod-account-in-prod-ou."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec

OUS = "organizational_units: {Workloads: {children: {Prod: {}, NonProd: {}}}}\n"


def test_dev_account_in_nonprod_passes(tmp_path: Path) -> None:
    text = spec(OUS + "accounts:\n  web: {purpose: workload, stage: dev, ou: Workloads/NonProd}\n")
    assert run("LZ113", text, tmp_path) == []


def test_dev_account_in_prod_fails(tmp_path: Path) -> None:
    text = spec(OUS + "accounts:\n  web: {purpose: workload, stage: dev, ou: Workloads/Prod}\n")
    assert run("LZ113", text, tmp_path) == [
        ("account:web", "dev account web is in Workloads/Prod, a Prod OU")
    ]
