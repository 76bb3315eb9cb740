"""LZ201 target-without-allow-scp."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

ALLOW = "[{Effect: Allow, Action: '*', Resource: '*'}]"
BODY = (
    "organizational_units: {Sandbox: {}}\naccounts:\n  m: {purpose: management, ou: root}\n"
    "  s: {purpose: sandbox, ou: Sandbox}\n"
)


def test_full_aws_access_everywhere_passes(tmp_path: Path) -> None:
    assert run("LZ201", spec(BODY), tmp_path) == []


def test_own_allow_everywhere_but_the_management_account_passes(tmp_path: Path) -> None:
    text = spec(
        BODY + "policies:\n" + scp("allow", ALLOW, "[root, ou:Sandbox, account:s]"),
        org="full_aws_access: false\n",
    )
    assert run("LZ201", text, tmp_path) == []


def test_levels_without_an_allow_fail(tmp_path: Path) -> None:
    text = spec(
        BODY
        + "policies:\n"
        + scp("allow", ALLOW, "[root]")
        + scp("deny", DENY_LEAVE, "[ou:Sandbox]"),
        org="full_aws_access: false\n",
    )
    assert run("LZ201", text, tmp_path) == [
        (
            "ou:Sandbox",
            "ou:Sandbox has no SCP attached that allows anything; every action below it would be denied",
        ),
        (
            "account:s",
            "account:s has no SCP attached that allows anything; every action below it would be denied",
        ),
    ]
