"""LZ015 ou-name-duplicate (a spec cannot declare it; the model is built in code)."""

from dataclasses import replace
from pathlib import Path

from tests.unit.rules.helpers import load, run_model, spec

OUS = "organizational_units:\n  Workloads: {children: {Prod: {}}}\n"


def test_distinct_paths_pass(tmp_path: Path) -> None:
    assert run_model("LZ015", load(tmp_path, spec(OUS))) == []


def test_same_name_under_one_parent_fails(tmp_path: Path) -> None:
    model = load(tmp_path, spec(OUS))
    model = replace(model, ous=(*model.ous, model.ous[1]))
    assert run_model("LZ015", model) == [
        ("ou:Workloads/Prod", "OU Workloads/Prod is declared twice under Workloads")
    ]
