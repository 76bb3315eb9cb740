"""LZ020 management-policy-malformed (the published and broken corpora are in
test_published_policies.py)."""

from pathlib import Path

from orgstack.model.policyschema import AI_SERVICES, RULE
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import all_rules
from tests.unit.rules.helpers import lines, load, run, spec

RULE_KEYS = RULE.keys


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
         "backup policy p at plans.daily.regions: must be an object; values are set with "
         'operators, e.g. {"@@assign": …}'),
        ("backup-policy:p",
         "backup policy p at plans.daily.rules.@@append: @@append sets no value here: this is "
         "an object of keys, not a value"),
        ("backup-policy:p",
         "backup policy p at extra: unknown top-level key 'extra' (a backup policy has 'plans')"),
    ]  # fmt: skip
    assert lines("LZ020", text, tmp_path) == [8, 8, 8]  # inline: the content's line


def test_a_child_control_list_of_unknown_operators_is_refused(tmp_path: Path) -> None:
    text = policy(
        "aiservices_opt_out",
        "{services: {'@@operators_allowed_for_child_policies': ['@@every']}}",
    )
    assert run("LZ020", text, tmp_path) == [
        (
            "ai-opt-out-policy:p",
            "aiservices_opt_out policy p at services.@@operators_allowed_for_child_policies: "
            "@@operators_allowed_for_child_policies has unknown operator '@@every' (allowed: "
            "@@all, @@append, @@assign, @@none, @@remove)",
        )
    ]


def test_scps_and_tag_policies_are_other_rules_business(tmp_path: Path) -> None:
    assert run("LZ020", policy("tag", "{plans: {}}"), tmp_path) == []


BACKUP_FILE = """{
  "plans": {
    "daily": {
      "regions": {"@@assign": ["eu-west-1", "us-east-9"]},
      "rules": {
        "daily": {
          "schedule_expresion": {"@@assign": "cron(0 5 ? * * *)"},
          "schedule_expression": {"@@assign": "cron(0 5 * * *)"},
          "target_backup_vault_name": {"@@assign": "local"},
          "lifecycle": {"delete_after_days": {"@@assign": "-5"}}
        }
      },
      "selections": {
        "tags": {
          "all": {
            "iam_role_arn": {"@@assign": "OrgstackBackup"},
            "tag_key": {"@@assign": "backup"},
            "tag_value": {"@@assign": ["daily"]}
          }
        }
      }
    }
  }
}
"""


def test_a_backup_policy_file_is_checked_key_by_key_at_its_lines(tmp_path: Path) -> None:
    """The issue's mistakes, each AWS refuses: a misspelt key, a five-field cron, a Region
    AWS does not have, a negative retention, a role that is not an ARN."""
    (tmp_path / "backup.json").write_text(BACKUP_FILE)
    text = spec("policies:\n  p:\n    type: backup\n    file: backup.json\n    targets: [root]\n")
    rule = next(r for r in all_rules() if r.id == "LZ020")
    found = run_rules(load(tmp_path, text), (rule,)).findings
    at = "backup policy p at plans.daily"
    assert [(f.source.line if f.source else 0, f.message) for f in found] == [
        (4, f"{at}.regions.@@assign: 'us-east-9' is not an AWS Region (did you mean 'us-east-2'?)"),
        (7, f"{at}.rules.daily.schedule_expresion: unknown key 'schedule_expresion' (did you "
            "mean 'schedule_expression'?) (allowed: " + ", ".join(sorted(RULE_KEYS)) + ")"),
        (8, f"{at}.rules.daily.schedule_expression.@@assign: 'cron(0 5 * * *)' has 5 fields; "
            "AWS Backup's cron has six: minutes, hours, day-of-month, month, day-of-week, year"),
        (10, f"{at}.rules.daily.lifecycle.delete_after_days.@@assign: -5 days: a number of "
             "days is at least 1"),
        (16, f"{at}.selections.tags.all.iam_role_arn.@@assign: 'OrgstackBackup' is not a role "
             "ARN: arn:aws:iam::$account:role/<name>"),
    ]  # fmt: skip
    assert {str(f.source.file) for f in found if f.source} == {str(tmp_path / "backup.json")}


def test_an_ai_opt_out_policy_names_only_services_aws_lists(tmp_path: Path) -> None:
    text = policy(
        "aiservices_opt_out",
        "{services: {default: {opt_out_policy: {'@@assign': optOut}}, "
        "rekognitoin: {opt_out_policy: {'@@assign': optIn}}}}",
    )
    assert run("LZ020", text, tmp_path) == [
        (
            "ai-opt-out-policy:p",
            "aiservices_opt_out policy p at services.rekognitoin: 'rekognitoin' is not a service "
            "AWS has (did you mean 'rekognition'?) (allowed: "
            + ", ".join(sorted(AI_SERVICES))
            + ")",
        )
    ]
