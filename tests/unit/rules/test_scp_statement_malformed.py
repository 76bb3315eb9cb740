"""LZ006 scp-statement-malformed."""

from pathlib import Path

from tests.unit.rules.helpers import run, scp, spec


def test_well_formed_statements_pass(tmp_path: Path) -> None:
    statements = "[{Effect: Deny, NotAction: ['iam:*', 'sts:Get*'], Resource: '*', Condition: {}}]"
    assert run("LZ006", spec("policies:\n" + scp("ok", statements)), tmp_path) == []


def test_each_problem_is_reported(tmp_path: Path) -> None:
    statements = "[{Sid: One, Effect: deny, Action: 's3:*', NotAction: 'ec2:*'}, {Effects: Deny, Action: 'S3 Get', Resource: '*'}]"
    assert run("LZ006", spec("policies:\n" + scp("bad", statements)), tmp_path) == [
        ("scp:bad", 'SCP bad, statement One: Effect is \'deny\', not "Allow" or "Deny"'),
        ("scp:bad", "SCP bad, statement One: needs exactly one of Action and NotAction"),
        ("scp:bad", "SCP bad, statement One: needs exactly one of Resource and NotResource"),
        ("scp:bad", 'SCP bad, statement #2: Effect is None, not "Allow" or "Deny"'),
        ("scp:bad", "SCP bad, statement #2: action 'S3 Get' is not \"*\" or service:Action"),
        ("scp:bad", "SCP bad, statement #2: has unknown key 'Effects'"),
    ]
