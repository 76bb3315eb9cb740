"""LZ012 account-name-too-long."""

from dataclasses import replace
from pathlib import Path

from tests.unit.rules.helpers import load, run, run_model, spec


def test_50_characters_pass(tmp_path: Path) -> None:
    name = "n" * 50
    text = spec(f"accounts:\n  {name}: {{purpose: sandbox, ou: root, email: a@acme.example}}\n")
    assert run("LZ012", text, tmp_path) == []


def test_51_characters_fail(tmp_path: Path) -> None:
    name = "n" * 51
    text = spec(f"accounts:\n  {name}: {{purpose: sandbox, ou: root, email: a@acme.example}}\n")
    assert run("LZ012", text, tmp_path) == [
        (f"account:{name}", f"account name {name} has 51 characters; AWS allows 50"),
    ]


def test_non_ascii_names_fail(tmp_path: Path) -> None:
    """The spec schema refuses them already; models read from AWS or built in code may not."""
    model = load(tmp_path, spec("accounts:\n  cafe: {purpose: sandbox, ou: root}\n"))
    model = replace(model, accounts=(replace(model.accounts[0], name="café"),))
    assert run_model("LZ012", model) == [
        ("account:café", "account name 'café' has characters other than printable ASCII")
    ]
