"""LZ023 network-pool-nearly-full."""

from pathlib import Path

from tests.unit.rules.helpers import run
from tests.unit.rules.network_fixture import network_spec


def test_a_pool_with_little_room_is_flagged(tmp_path: Path) -> None:
    assert run("LZ023", network_spec(), tmp_path) == [
        (
            "network-pool:nonprod",
            "network pool nonprod (10.1.0.0/20) has room for 3 more /22 of 4; the next "
            "accounts may find it full",
        )
    ]


def test_roomy_pools_pass(tmp_path: Path) -> None:
    text = network_spec().replace("nonprod: 10.1.0.0/20", "nonprod: 10.16.0.0/12")
    assert run("LZ023", text, tmp_path) == []
