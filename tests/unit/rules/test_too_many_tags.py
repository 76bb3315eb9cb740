"""LZ013 too-many-tags."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def tags(count: int) -> str:
    return "{" + ", ".join(f"k{i}: v" for i in range(count)) + "}"


def test_50_tags_pass(tmp_path: Path) -> None:
    text = spec(f"organizational_units:\n  Sandbox: {{tags: {tags(50)}}}\n")
    assert run("LZ013", text, tmp_path) == []


def test_51_tags_fail_on_ous_and_accounts(tmp_path: Path) -> None:
    text = spec(
        f"organizational_units:\n  Sandbox: {{tags: {tags(51)}}}\n"
        f"accounts:\n  web: {{purpose: sandbox, ou: Sandbox, tags: {tags(52)}}}\n"
    )
    assert run("LZ013", text, tmp_path) == [
        ("ou:Sandbox", "ou:Sandbox has 51 tags; AWS allows 50"),
        # The 52 declared and the purpose tag orgstack records.
        ("account:web", "account:web has 53 tags; AWS allows 50"),
    ]
