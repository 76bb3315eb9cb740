"""LZ224 attachment-unassociated."""

from pathlib import Path

from tests.unit.rules.helpers import run, run_model
from tests.unit.rules.network_fixture import live, network_spec

TABLE = "network:network/eu-west-1/table/prod"


def test_every_attachment_in_its_table_passes(tmp_path: Path) -> None:
    assert run("LZ224", network_spec(), tmp_path) == []
    assert run_model("LZ224", live(tmp_path, {})) == []


def test_an_attachment_no_table_associates_fails(tmp_path: Path) -> None:
    model = live(tmp_path, {TABLE: {"associations": []}})
    assert run_model("LZ224", model) == [
        (
            "network:web-prod/eu-west-1/attachment",
            "network:web-prod/eu-west-1/attachment: attached to the Transit Gateway but in no "
            "segment's route table (segment prod)",
        )
    ]
