"""LZ116 build-account-outside-deployments-ou."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_build_in_deployments_passes(tmp_path: Path) -> None:
    text = spec(
        "organizational_units: {Deployments: {}}\naccounts:\n  build: {purpose: build, ou: Deployments}\n"
    )
    assert run("LZ116", text, tmp_path) == []


def test_build_elsewhere_fails(tmp_path: Path) -> None:
    text = spec("accounts:\n  build: {purpose: build, ou: root}\n")
    assert run("LZ116", text, tmp_path) == [
        ("account:build", "build account build is in root, not in a Deployments OU")
    ]
