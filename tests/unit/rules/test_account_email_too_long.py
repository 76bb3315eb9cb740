"""LZ010 account-email-too-long."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec

# aws+{account}@acme.example is 17 characters plus the account name.


def test_64_characters_pass(tmp_path: Path) -> None:
    name = "a" * 47
    assert (
        run("LZ010", spec(f"accounts:\n  {name}: {{purpose: sandbox, ou: root}}\n"), tmp_path) == []
    )


def test_65_characters_fail(tmp_path: Path) -> None:
    name = "a" * 48
    assert run(
        "LZ010", spec(f"accounts:\n  {name}: {{purpose: sandbox, ou: root}}\n"), tmp_path
    ) == [
        (
            f"account:{name}",
            f"account {name}: root e-mail aws+{name}@acme.example has 65 characters; AWS allows 64",
        )
    ]
