"""LZ111 top-level-ou-per-business-unit."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_functional_top_level_passes(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Workloads: {children: {Retail: {}}}}\n"
        "accounts:\n  web: {purpose: workload, stage: dev, ou: Workloads/Retail, business_unit: retail}\n"
    )
    assert run("LZ111", text, tmp_path) == []


def test_business_unit_at_the_top_fails(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Retail_Banking: {}}\n"
        "accounts:\n  web: {purpose: workload, stage: dev, ou: Retail_Banking, business_unit: retail-banking}\n"
    )
    assert run("LZ111", text, tmp_path) == [
        (
            "ou:Retail_Banking",
            "top-level OU Retail_Banking is named after business unit or team retail-banking; group top-level OUs by function",
        )
    ]
