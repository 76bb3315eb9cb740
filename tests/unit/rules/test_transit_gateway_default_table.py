"""LZ223 transit-gateway-default-table."""

from pathlib import Path

from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.network_fixture import live, network_spec

GATEWAY = "network:network/eu-west-1/gateway"


def test_the_spec_and_a_gateway_as_planned_pass(tmp_path: Path) -> None:
    assert run("LZ223", network_spec(), tmp_path) == []
    assert run_model("LZ223", live(tmp_path, {})) == []


def test_a_live_gateway_with_its_default_table_on_fails(tmp_path: Path) -> None:
    model = live(tmp_path, {GATEWAY: {"default_association": True, "default_propagation": True}})
    assert run_model("LZ223", model) == [
        (
            GATEWAY,
            f"{GATEWAY}: default association and default propagation on: every new attachment "
            "joins the default route table and reaches every other",
        )
    ]
