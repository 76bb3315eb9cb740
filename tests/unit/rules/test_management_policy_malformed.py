"""LZ020 management-policy-malformed (the published and broken corpora are in
test_published_policies.py)."""

from pathlib import Path

from tests.unit.rules.helpers import lines, run, spec


def policy(kind: str, content: str) -> str:
    return spec(f"policies:\n  p:\n    type: {kind}\n    content: {content}\n    targets: [root]\n")


def test_an_operator_object_everywhere_passes(tmp_path: Path) -> None:
    text = policy("backup", "{plans: {daily: {regions: {'@@assign': [eu-west-1]}}}}")
    assert run("LZ020", text, tmp_path) == []


def test_each_mistake_is_named_at_the_policy(tmp_path: Path) -> None:
    text = policy(
        "backup",
        "{plans: {daily: {regions: [eu-west-1], rules: {'@@append': {a: b}}}}, extra: 1}",
    )
    assert run("LZ020", text, tmp_path) == [
        ("backup-policy:p",
         "backup policy p has unknown top-level key 'extra' (a backup policy has 'plans')"),
        ("backup-policy:p",
         "backup policy p plans.daily.regions must be an object; values are set with "
         'operators, e.g. {"@@assign": …}'),
        ("backup-policy:p",
         "backup policy p plans.daily.rules @@append takes a value or a list, not an object"),
    ]  # fmt: skip
    assert lines("LZ020", text, tmp_path) == [6, 6, 6]


def test_a_child_control_list_of_unknown_operators_is_refused(tmp_path: Path) -> None:
    text = policy(
        "aiservices_opt_out",
        "{services: {'@@operators_allowed_for_child_policies': ['@@every']}}",
    )
    assert run("LZ020", text, tmp_path) == [
        (
            "ai-opt-out-policy:p",
            "aiservices_opt_out policy p services @@operators_allowed_for_child_policies must "
            "be a list of @@all, @@append, @@assign, @@none, @@remove",
        )
    ]


def test_scps_and_tag_policies_are_other_rules_business(tmp_path: Path) -> None:
    assert run("LZ020", policy("tag", "{plans: {}}"), tmp_path) == []
