"""LZ204 root-user-unrestricted."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

ROOT_USER = "[{Effect: Deny, Action: '*', Resource: '*', Condition: {StringLike: {'aws:PrincipalArn': ['arn:aws:iam::*:root']}}}]"


def test_root_user_guardrail_passes(tmp_path: Path) -> None:
    assert run("LZ204", spec("policies:\n" + scp("root-user", ROOT_USER)), tmp_path) == []


def test_without_root_user_guardrail_fails(tmp_path: Path) -> None:
    assert run("LZ204", spec("policies:\n" + scp("leave", DENY_LEAVE)), tmp_path) == [
        ("organization", "no SCP at the root restricts member accounts' root users")
    ]


def test_a_root_scp_denying_everything_restricts_root_users_too(tmp_path: Path) -> None:
    deny_all = "[{Effect: Deny, Action: '*', Resource: '*'}]"
    assert run("LZ204", spec("policies:\n" + scp("deny-all", deny_all)), tmp_path) == []
