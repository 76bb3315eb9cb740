"""LZ017 too-many-ous (built in code: 2,001 OUs)."""

from dataclasses import replace
from pathlib import Path

from orgstack.model import OrganizationalUnit
from tests.unit.rules.helpers import load, run_model, spec


def test_2000_ous_pass(tmp_path: Path) -> None:
    model = load(tmp_path, spec())
    model = replace(model, ous=tuple(OrganizationalUnit(f"ou{i}") for i in range(2000)))
    assert run_model("LZ017", model) == []


def test_2001_ous_fail(tmp_path: Path) -> None:
    model = load(tmp_path, spec())
    model = replace(model, ous=tuple(OrganizationalUnit(f"ou{i}") for i in range(2001)))
    assert run_model("LZ017", model) == [
        ("organization", "2,001 OUs are declared; AWS allows 2,000")
    ]
