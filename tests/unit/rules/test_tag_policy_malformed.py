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
    content = (
        "{tags: {stage: {tag_key: stage, tag_value: {'@@assign': [dev], '@@add': [x]}, colour: x},"
        " team: 3, env: {tag_key: {'@@append': Env}, enforced_for: {'@@assign': 7}},"
        " '@@operators_allowed_for_child_policies': ['@@everything']}, extra: 1}"
    )
    # each at its own place in the content (sorted by where they stand); compared as a set here
    assert sorted(run("LZ008", tag_policy(content), tmp_path)) == sorted([
        ("tag-policy:t", "tag policy t has unknown top-level key 'extra'"),
        ("tag-policy:t", "tag policy t tag 'stage' has unknown key 'colour'"),
        ("tag-policy:t", 'tag policy t tag \'stage\' tag_key must be an operator object, e.g. {"@@assign": ...}'),
        ("tag-policy:t", "tag policy t tag 'stage' tag_value has unknown operator '@@add' (allowed: @@assign, @@append, @@remove)"),
        ("tag-policy:t", "tag policy t tag 'team' must be an object"),
        ("tag-policy:t", "tag policy t tag 'env' enforced_for @@assign must be a list of strings"),
        ("tag-policy:t", "tag policy t tag 'env' tag_key takes only @@assign"),
        ("tag-policy:t", "tag policy t \"tags\": @@operators_allowed_for_child_policies has unknown operator '@@everything' (allowed: @@all, @@append, @@assign, @@none, @@remove)"),
    ])  # fmt: skip


def test_a_key_spelled_as_another_or_too_long_is_refused(tmp_path: Path) -> None:
    long = "k" * 129
    content = (
        "{tags: {costcenter: {tag_key: {'@@assign': Owner}}, "
        f"{long}: {{tag_key: {{'@@assign': {long}}}}}, "
        "owner: {tag_key: {'@@assign': OWNER}}}}"
    )
    assert run("LZ008", tag_policy(content), tmp_path) == [
        ("tag-policy:t", "tag policy t tag 'costcenter' tag_key spells 'Owner', another key than the policy's 'costcenter'; the two must be the same key (only the case may differ)"),
        ("tag-policy:t", f"tag policy t tag '{long}' tag_key is 129 characters; AWS allows tag keys of at most 128"),
    ]  # fmt: skip


# AWS's documented tag policy examples (tag policy syntax and inheritance), rewritten here.
DOCUMENTED = {
    "a parent that fixes the key and its values": (
        "{tags: {costcenter: {tag_key: {'@@assign': CostCenter, "
        "'@@operators_allowed_for_child_policies': ['@@none']}, "
        "tag_value: {'@@assign': ['100', '200']}, enforced_for: {'@@assign': ['secretsmanager:*']}}}}"
    ),
    "a child that only adds a value": "{tags: {costcenter: {tag_value: {'@@append': ['300']}}}}",
    "a child that removes a value": "{tags: {costcenter: {tag_value: {'@@remove': ['200']}}}}",
    "operators at the policy-key level": (
        "{tags: {costcenter: {'@@operators_allowed_for_child_policies': ['@@none'], "
        "tag_key: {'@@assign': CostCenter}}}}"
    ),
    "operators for every key": (
        "{tags: {'@@operators_allowed_for_child_policies': ['@@append'], "
        "project: {tag_key: {'@@assign': Project}, report_required_tag_for: {'@@assign': ['ec2:instance']}}}}"
    ),
}


def test_awss_documented_tag_policies_pass(tmp_path: Path) -> None:
    for name, content in DOCUMENTED.items():
        assert run("LZ008", tag_policy(content), tmp_path) == [], name
