"""AWS's published policy examples (SCP, RCP, tag, backup, AI opt-out, declarative, chatbot),
rewritten by hand under published/, pass every policy rule; the mistakes under broken/ are each
refused by the rule that owns them, with its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack.model.policyschema import AI_SERVICES
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import all_rules
from tests.unit.rules.helpers import load, spec

HERE = Path(__file__).parent
TYPES = {
    "scp": "service_control",
    "rcp": "resource_control",
    "tag": "tag",
    "backup": "backup",
    "ai": "aiservices_opt_out",
    "declarative": "declarative",
    "chatbot": "chatbot",
}


#: The rules that judge a policy document: size, version, statements, principals, tag policy,
#: unknown actions (a warning), management policies, RCP statements.
POLICY_RULES = {"LZ004", "LZ005", "LZ006", "LZ007", "LZ008", "LZ019", "LZ020", "LZ021"}


def errors(tmp_path: Path, source: Path) -> list[tuple[str, str]]:
    """What the policy rules find in a spec attaching ``source`` to the root."""
    kind = TYPES[source.name.split("-", 1)[0]]
    (tmp_path / "policy.json").write_bytes(source.read_bytes())
    text = spec(
        "policies:\n"
        f"  {source.stem}:\n    type: {kind}\n    file: policy.json\n    targets: [root]\n"
    )
    found = run_rules(load(tmp_path, text), all_rules()).findings
    return [(f.rule_id, f.message) for f in found if f.rule_id in POLICY_RULES]


@pytest.mark.parametrize("name", sorted(p.name for p in (HERE / "published").glob("*.json")))
def test_published_examples_are_accepted(name: str, tmp_path: Path) -> None:
    assert errors(tmp_path, HERE / "published" / name) == []


def test_every_policy_type_has_published_examples() -> None:
    prefixes = {p.name.split("-", 1)[0] for p in (HERE / "published").glob("*.json")}
    assert prefixes == set(TYPES)


BROKEN = {
    "scp-condition-operator-typo": (
        "LZ006",
        "SCP scp-condition-operator-typo, statement #1: condition operator 'StringNotEqual' "
        "does not exist (did you mean StringNotEquals?)",
    ),
    "scp-set-prefix-typo": (
        "LZ006",
        "SCP scp-set-prefix-typo, statement #1: condition operator "
        "'ForAnyValues:StringEquals' does not exist (did you mean ForAnyValue:StringEquals?)",
    ),
    "scp-condition-as-string": (
        "LZ006",
        "SCP scp-condition-as-string, statement #1: Condition must be an object of operators, "
        'e.g. {"StringEquals": {…}}',
    ),
    "scp-unknown-action": (
        "LZ019",
        "scp-unknown-action, statement #1: s3:GetObjectt: s3 has no action matching "
        "'GetObjectt' (did you mean s3:GetObject?)",
    ),
    "scp-resource-not-an-arn": (
        "LZ006",
        "SCP scp-resource-not-an-arn, statement #1: Resource 'arn:aws:s3/my-bucket' is not "
        '"*" or an ARN (arn:partition:service:region:account:resource)',
    ),
    "scp-lower-case-effect": (
        "LZ006",
        'SCP scp-lower-case-effect, statement #1: Effect is \'deny\', not "Allow" or "Deny"',
    ),
    "scp-principal": (
        "LZ007",
        "SCP scp-principal, statement #1: SCPs do not support Principal; use a Condition on "
        "aws:PrincipalArn",
    ),
    "rcp-no-principal": (
        "LZ021",
        'RCP rcp-no-principal, statement #1: Principal is None; an RCP needs "Principal": "*"',
    ),
    "rcp-allow": (
        "LZ021",
        "RCP rcp-allow, statement #1: Effect is 'Allow'; an RCP you write can only \"Deny\"",
    ),
    "rcp-not-action": (
        "LZ021",
        "RCP rcp-not-action, statement #1: needs Action (RCPs do not support NotAction)",
    ),
    "tag-key-as-string": (
        "LZ008",
        "tag policy tag-key-as-string tag 'stage' tag_key must be an operator object, "
        'e.g. {"@@assign": ...}',
    ),
    "backup-bare-value": (
        "LZ020",
        "backup policy backup-bare-value at plans.daily.regions: must be an object; values are "
        'set with operators, e.g. {"@@assign": …}',
    ),
    "backup-operator-typo": (
        "LZ020",
        "backup policy backup-operator-typo at plans.daily.regions.@@asign: unknown operator "
        "'@@asign' (did you mean '@@assign'?) (allowed: @@assign, @@append, @@remove)",
    ),
    "backup-wrong-top-key": (
        "LZ020",
        "backup policy backup-wrong-top-key at plan: unknown top-level key 'plan' (a backup "
        "policy has 'plans')",
    ),
    "ai-opt-out-bad-value": (
        "LZ020",
        "aiservices_opt_out policy ai-opt-out-bad-value at "
        "services.default.opt_out_policy.@@assign: 'opt-out' is not optIn or optOut",
    ),
    "declarative-unknown-attribute": (
        "LZ020",
        "declarative policy declarative-unknown-attribute at "
        "ec2_attributes.ebs_encryption_by_default: unknown attribute "
        "'ebs_encryption_by_default' (allowed: allowed_images_settings, "
        "image_block_public_access, instance_metadata_defaults, serial_console_access, "
        "snapshot_block_public_access, vpc_block_public_access)",
    ),
    # The mistakes AWS's own validation refuses that orgstack once let through:
    "backup-misspelt-key": (
        "LZ020",
        "backup policy backup-misspelt-key at plans.daily.rules.daily.schedule_expresion: "
        "unknown key 'schedule_expresion' (did you mean 'schedule_expression'?) (allowed: "
        "complete_backup_window_minutes, copy_actions, enable_continuous_backup, index_actions, "
        "lifecycle, recovery_point_tags, scan_actions, schedule_expression, "
        "schedule_expression_timezone, start_backup_window_minutes, target_backup_vault_name, "
        "target_logically_air_gapped_backup_vault_arn)",
    ),
    "backup-invalid-cron": (
        "LZ020",
        "backup policy backup-invalid-cron at plans.daily.rules.daily.schedule_expression."
        "@@assign: 'cron(0 5 * * *)' has 5 fields; AWS Backup's cron has six: minutes, hours, "
        "day-of-month, month, day-of-week, year",
    ),
    "backup-unknown-region": (
        "LZ020",
        "backup policy backup-unknown-region at plans.daily.regions.@@assign: 'us-east-9' is not "
        "an AWS Region (did you mean 'us-east-2'?)",
    ),
    "backup-negative-days": (
        "LZ020",
        "backup policy backup-negative-days at plans.daily.rules.daily.lifecycle."
        "delete_after_days.@@assign: -5 days: a number of days is at least 1",
    ),
    "backup-role-not-an-arn": (
        "LZ020",
        "backup policy backup-role-not-an-arn at plans.daily.selections.tags.all.iam_role_arn."
        "@@assign: 'OrgstackBackup' is not a role ARN: arn:aws:iam::$account:role/<name>",
    ),
    "ai-unknown-service": (
        "LZ020",
        "aiservices_opt_out policy ai-unknown-service at services.rekognitoin: 'rekognitoin' is "
        "not a service AWS has (did you mean 'rekognition'?) (allowed: "
        + ", ".join(sorted(AI_SERVICES))
        + ")",
    ),
    "tag-key-of-another-name": (
        "LZ008",
        "tag policy tag-key-of-another-name tag 'costcenter' tag_key spells 'Owner', another key "
        "than the policy's 'costcenter'; the two must be the same key (only the case may differ)",
    ),
    "tag-key-too-long": (
        "LZ008",
        f"tag policy tag-key-too-long tag '{'k' * 129}' tag_key is 129 characters; AWS allows "
        "tag keys of at most 128",
    ),
    "scp-action-a-number": (
        "LZ006",
        "SCP scp-action-a-number, statement #1: Action must be a string or a non-empty list of "
        "strings, not 5",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_policies_are_refused_by_their_rule(name: str, tmp_path: Path) -> None:
    assert BROKEN[name] in errors(tmp_path, HERE / "broken" / f"{name}.json")


def test_every_broken_policy_has_its_expectation() -> None:
    assert sorted(p.stem for p in (HERE / "broken").glob("*.json")) == sorted(BROKEN)
