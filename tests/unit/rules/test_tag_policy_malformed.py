"""LZ008 tag-policy-malformed."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def tag_policy(content: str) -> str:
    return spec(f"policies:\n  t:\n    type: tag\n    content: {content}\n    targets: [root]\n")


def test_valid_tag_policy_passes(tmp_path: Path) -> None:
    content = (
        "{tags: {stage: {tag_key: {'@@assign': stage}, tag_value: {'@@assign': [dev, prod]}}}}"
    )
    assert run("LZ008", tag_policy(content), tmp_path) == []


def test_missing_tags_object_fails(tmp_path: Path) -> None:
    assert run("LZ008", tag_policy("{Version: '2012-10-17'}"), tmp_path) == [
        ("tag-policy:t", 'tag policy t needs a top-level "tags" object')
    ]


def test_tag_problems_are_each_reported(tmp_path: Path) -> None:
    content = "{tags: {stage: {tag_value: {'@@assign': [dev]}, colour: x}, team: 3}, extra: 1}"
    assert run("LZ008", tag_policy(content), tmp_path) == [
        ("tag-policy:t", "tag policy t has unknown top-level key 'extra'"),
        ("tag-policy:t", 'tag policy t tag \'stage\' needs "tag_key": {"@@assign": "<Key>"}'),
        ("tag-policy:t", "tag policy t tag 'stage' has unknown key 'colour'"),
        ("tag-policy:t", "tag policy t tag 'team' must be an object"),
    ]
