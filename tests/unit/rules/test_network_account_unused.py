"""LZ120 network-account-unused."""

from pathlib import Path

from tests.unit.rules.helpers import run
from tests.unit.rules.network_fixture import network_spec


def test_a_network_account_with_a_network_section_passes(tmp_path: Path) -> None:
    assert run("LZ120", network_spec(), tmp_path) == []


def test_a_network_account_without_a_network_section_fails(tmp_path: Path) -> None:
    assert run("LZ120", network_spec().split("network:\n")[0], tmp_path) == [
        (
            "account:network",
            "account network (network) holds no network: no network: section declares the "
            "Transit Gateway and the segments",
        )
    ]
