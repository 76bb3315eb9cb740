"""LZ022 network-pool-room."""

from pathlib import Path

from tests.unit.rules.helpers import run
from tests.unit.rules.network_fixture import network_spec


def test_each_pool_reports_what_it_gave_and_its_room(tmp_path: Path) -> None:
    assert run("LZ022", network_spec(), tmp_path) == [
        ("network-pool:nonprod", "network pool nonprod (10.1.0.0/20): 1 VPC, room for 3 more /22"),
        ("network-pool:prod", "network pool prod (10.0.0.0/16): 1 VPC, room for 63 more /22"),
    ]


def test_without_a_network_section_nothing_is_reported(tmp_path: Path) -> None:
    assert run("LZ022", network_spec().split("network:\n")[0], tmp_path) == []
