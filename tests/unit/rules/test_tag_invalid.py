"""LZ014 tag-invalid."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_ordinary_tags_pass(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web: {purpose: sandbox, ou: root, tags: {cost-center: '0123', Owner: platform}}\n"
    )
    assert run("LZ014", text, tmp_path) == []


def test_long_keys_long_values_and_aws_prefix_fail(tmp_path: Path) -> None:
    key, value = "k" * 129, "v" * 257
    text = spec(
        f"accounts:\n  web: {{purpose: sandbox, ou: root, tags: {{{key}: x, note: {value}, 'AWS:owner': me}}}}\n"
    )
    assert run("LZ014", text, tmp_path) == [
        (
            "account:web",
            f"account:web: tag key {key[:40]!r}… has 129 characters; AWS allows 1 to 128",
        ),
        ("account:web", "account:web: tag note has a value of 257 characters; AWS allows 256"),
        ("account:web", "account:web: tag key 'AWS:owner' uses the reserved prefix aws:"),
    ]
