"""LZ225 transit-gateway-table-beyond-segment."""

from pathlib import Path

from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.network_fixture import live, network_spec

TABLE = "network:network/eu-west-1/table/prod"


def test_tables_as_the_segments_derive_them_pass(tmp_path: Path) -> None:
    assert run("LZ225", network_spec(), tmp_path) == []
    assert run_model("LZ225", live(tmp_path, {})) == []


def test_a_full_mesh_table_fails_for_each_stranger(tmp_path: Path) -> None:
    model = live(
        tmp_path,
        {
            TABLE: {
                "associations": ["web-dev", "web-prod"],
                "propagations": ["123456789012", "web-dev", "web-prod"],
            }
        },
    )
    assert run_model("LZ225", model) == [
        (
            TABLE,
            f"{TABLE}: segment prod's table associates web-dev (nonprod), which prod does not reach",
        ),
        (
            TABLE,
            f"{TABLE}: segment prod's table routes to 123456789012 (no segment: not a network "
            "member), which prod does not reach",
        ),
        (
            TABLE,
            f"{TABLE}: segment prod's table routes to web-dev (nonprod), which prod does not reach",
        ),
    ]
