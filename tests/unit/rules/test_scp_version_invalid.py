"""LZ005 scp-version-invalid."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec


def test_valid_scp_passes(tmp_path: Path) -> None:
    assert run("LZ005", spec("policies:\n" + scp("ok", DENY_LEAVE)), tmp_path) == []


def test_old_version_missing_statement_and_unknown_key_fail(tmp_path: Path) -> None:
    text = spec(
        "policies:\n  bad:\n    type: service_control\n    content: {Version: '2008-10-17', Statements: []}\n"
    )
    assert run("LZ005", text, tmp_path) == [
        ("scp:bad", "SCP bad has Version '2008-10-17'; it needs \"2012-10-17\""),
        ("scp:bad", "SCP bad has no Statement (an object or a list)"),
        (
            "scp:bad",
            "SCP bad has unknown top-level key 'Statements'; allowed: Version, Statement, Id",
        ),
    ]


def test_missing_version_fails(tmp_path: Path) -> None:
    text = spec(
        "policies:\n  bad:\n    type: service_control\n    content: {Statement: {Effect: Deny, Action: '*', Resource: '*'}}\n"
    )
    assert run("LZ005", text, tmp_path) == [
        ("scp:bad", 'SCP bad has no Version; it needs "2012-10-17"')
    ]
