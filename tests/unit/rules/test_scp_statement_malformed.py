"""LZ006 scp-statement-malformed."""

from pathlib import Path

from tests.unit.rules.helpers import lines, run, scp, spec


def test_well_formed_statements_pass(tmp_path: Path) -> None:
    statements = "[{Effect: Deny, NotAction: ['iam:*', 'sts:Get*'], Resource: '*', Condition: {}}]"
    assert run("LZ006", spec("policies:\n" + scp("ok", statements)), tmp_path) == []


def test_each_problem_is_reported(tmp_path: Path) -> None:
    statements = "[{Sid: One, Effect: deny, Action: 's3:*', NotAction: 'ec2:*'}, {Effects: Deny, Action: 'S3 Get', Resource: '*'}]"
    # sorted here: each finding stands at its own key, in the order of the content
    assert sorted(run("LZ006", spec("policies:\n" + scp("bad", statements)), tmp_path)) == sorted(
        [
            ("scp:bad", 'SCP bad, statement One: Effect is \'deny\', not "Allow" or "Deny"'),
            ("scp:bad", "SCP bad, statement One: needs exactly one of Action and NotAction"),
            ("scp:bad", "SCP bad, statement One: needs exactly one of Resource and NotResource"),
            ("scp:bad", 'SCP bad, statement #2: Effect is None, not "Allow" or "Deny"'),
            ("scp:bad", "SCP bad, statement #2: action 'S3 Get' is not \"*\" or service:Action"),
            ("scp:bad", "SCP bad, statement #2: has unknown key 'Effects'"),
        ]
    )


def test_values_of_the_wrong_type_are_refused_at_their_line(tmp_path: Path) -> None:
    (tmp_path / "typed.json").write_text(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
        '    {"Effect": "Deny",\n     "Action": 5,\n     "Resource": ["*", 7]}\n  ]\n}\n'
    )
    text = spec(
        "policies:\n  typed:\n    type: service_control\n    file: typed.json\n    targets: [root]\n"
    )
    assert run("LZ006", text, tmp_path) == [
        (
            "scp:typed",
            "SCP typed, statement #1: Action must be a string or a non-empty list of strings, not 5",
        ),
        (
            "scp:typed",
            'SCP typed, statement #1: Resource must be a string or a non-empty list of strings, not ["*", 7]',
        ),
    ]
    assert lines("LZ006", text, tmp_path) == [5, 6]
