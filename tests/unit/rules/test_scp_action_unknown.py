"""LZ019 scp-action-unknown, and LZ006's condition and case checks (parliament's database)."""

from pathlib import Path

from tests.unit.rules.helpers import run, scp, spec


def policy(statements: str) -> str:
    return spec("policies:\n" + scp("guard", statements))


def test_a_misspelt_action_and_an_unknown_service_are_named_with_the_closest_action(
    tmp_path: Path,
) -> None:
    text = policy(
        "[{Effect: Deny, Action: ['s3:GetObjectt', 'bogus:Thing', 'S3:DeleteBucket', 'ec2:*'],"
        " Resource: '*'}, {Sid: Keep, Effect: Deny, NotAction: ['iam:*', 'cloudfrontt:*'],"
        " Resource: '*'}]"
    )
    assert run("LZ019", text, tmp_path) == [
        (
            "scp:guard",
            "guard, statement #1: s3:GetObjectt: s3 has no action matching 'GetObjectt' "
            "(did you mean s3:GetObject?)",
        ),
        ("scp:guard", "guard, statement #1: bogus:Thing: no AWS service has the prefix 'bogus'"),
        (
            "scp:guard",
            "guard, statement Keep: cloudfrontt:*: no AWS service has the prefix 'cloudfrontt'",
        ),
    ]


def test_upper_case_service_prefixes_are_valid(tmp_path: Path) -> None:
    text = policy("[{Effect: Deny, Action: ['S3:DeleteBucket', 'IAM:Delete*'], Resource: '*'}]")
    assert run("LZ006", text, tmp_path) == []
    assert run("LZ019", text, tmp_path) == []


def test_condition_operator_typos_and_a_condition_given_as_text_are_refused(
    tmp_path: Path,
) -> None:
    text = policy(
        "[{Effect: Deny, NotAction: 'iam:*', Resource: '*', Condition: {StringNotEqual: "
        "{'aws:RequestedRegion': [eu-west-1]}}}, {Effect: Deny, Action: 's3:*', Resource: '*', "
        "Condition: {'ForAnyValues:StringEquals': {'aws:TagKeys': [a]}}}, {Effect: Deny, "
        "Action: 's3:*', Resource: '*', Condition: 'aws:RequestedRegion'}, {Effect: Deny, "
        "Action: 's3:*', Resource: '*', Condition: {'ForAllValues:StringLikeIfExists': "
        "{'aws:TagKeys': [a]}, 'Null': {'aws:TagKeys': 'true'}}}]"
    )
    assert run("LZ006", text, tmp_path) == [
        (
            "scp:guard",
            "SCP guard, statement #1: condition operator 'StringNotEqual' does not exist "
            "(did you mean StringNotEquals?)",
        ),
        (
            "scp:guard",
            "SCP guard, statement #2: condition operator 'ForAnyValues:StringEquals' does not "
            "exist (did you mean ForAnyValue:StringEquals?)",
        ),
        (
            "scp:guard",
            "SCP guard, statement #3: Condition must be an object of operators, e.g. "
            '{"StringEquals": {…}}',
        ),
    ]


def test_a_misspelt_region_operator_no_longer_counts_as_a_region_guardrail(
    tmp_path: Path,
) -> None:
    text = policy(
        "[{Effect: Deny, NotAction: 'iam:*', Resource: '*', Condition: {StringNotEqual: "
        "{'aws:RequestedRegion': [eu-west-1]}}}]"
    )
    assert run("LZ207", text, tmp_path) != []
    fixed = text.replace("StringNotEqual:", "StringNotEquals:")
    assert run("LZ207", fixed, tmp_path) == []


def test_actions_botocore_knows_and_parliament_lacks_are_not_unknown(tmp_path: Path) -> None:
    """account:PutAccountName exists (AWS Account Management API); parliament's database
    lags, so the operations of botocore's models complete it — a typo there still warns with
    the name meant."""
    text = policy(
        "[{Effect: Deny, Action: ['account:PutAccountName', 'account:Put*', "
        "'bedrock-agentcore:*', 'account:PutAccountNam'], Resource: '*'}]"
    )
    assert run("LZ019", text, tmp_path) == [
        (
            "scp:guard",
            "guard, statement #1: account:PutAccountNam: account has no action matching "
            "'PutAccountNam' (did you mean account:PutAccountName?)",
        ),
    ]


def test_the_committed_action_list_is_what_the_pinned_botocore_and_parliament_give() -> None:
    """``make iam-actions`` writes it; a botocore or parliament upgrade without it fails here."""
    import json
    from importlib import resources

    from orgstack.flows.actions import botocore_actions

    text = resources.files("orgstack.baselines").joinpath("iam_actions.json").read_text()
    assert json.loads(text) == botocore_actions(), "stale: run make iam-actions"
