"""LZ003 too-many-tag-policies-on-target."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def tag_policies(count: int) -> str:
    entry = "  t{i}:\n    type: tag\n    content: {{tags: {{k{i}: {{tag_key: {{'@@assign': k{i}}}}}}}}}\n    targets: [ou:Sandbox]\n"
    return "organizational_units: {Sandbox: {}}\npolicies:\n" + "".join(
        entry.format(i=i) for i in range(count)
    )


def test_ten_tag_policies_pass(tmp_path: Path) -> None:
    assert run("LZ003", spec(tag_policies(10)), tmp_path) == []


def test_eleven_tag_policies_fail(tmp_path: Path) -> None:
    assert run("LZ003", spec(tag_policies(11)), tmp_path) == [
        ("ou:Sandbox", "11 tag policies are attached directly to ou:Sandbox; AWS allows 10")
    ]
