"""LZ007 scp-uses-principal."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec


def test_scp_without_principal_passes(tmp_path: Path) -> None:
    assert run("LZ007", spec("policies:\n" + scp("ok", DENY_LEAVE)), tmp_path) == []


def test_principal_and_not_principal_fail(tmp_path: Path) -> None:
    statements = "[{Effect: Deny, Action: '*', Resource: '*', NotPrincipal: {AWS: x}}, {Sid: P, Effect: Deny, Action: '*', Resource: '*', Principal: '*'}]"
    assert run("LZ007", spec("policies:\n" + scp("bad", statements)), tmp_path) == [
        (
            "scp:bad",
            "SCP bad, statement #1: SCPs do not support NotPrincipal; use a Condition on aws:PrincipalArn",
        ),
        (
            "scp:bad",
            "SCP bad, statement P: SCPs do not support Principal; use a Condition on aws:PrincipalArn",
        ),
    ]
