"""LZ115 infrastructure-account-has-stage."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_infrastructure_without_stage_passes(tmp_path: Path) -> None:
    assert (
        run("LZ115", spec("accounts:\n  network: {purpose: network, ou: root}\n"), tmp_path) == []
    )


def test_infrastructure_with_stage_is_reported(tmp_path: Path) -> None:
    text = spec("accounts:\n  network-dev: {purpose: network, ou: root, stage: dev}\n")
    assert run("LZ115", text, tmp_path) == [
        (
            "account:network-dev",
            "network account network-dev has stage dev; infrastructure accounts are not split by stage",
        )
    ]
