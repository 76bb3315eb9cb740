"""LZ002 too-many-scps-on-target."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec


def policies(count: int) -> str:
    return "policies:\n" + "".join(scp(f"p{i}", DENY_LEAVE) for i in range(count))


def test_full_aws_access_plus_four_pass(tmp_path: Path) -> None:
    assert run("LZ002", spec(policies(4)), tmp_path) == []


def test_full_aws_access_plus_five_fail(tmp_path: Path) -> None:
    assert run("LZ002", spec(policies(5)), tmp_path) == [
        (
            "root",
            "6 SCPs are attached directly to root (FullAWSAccess, p0, p1, p2, p3, p4); AWS allows 5",
        )
    ]


def test_without_full_aws_access_six_own_policies_fail(tmp_path: Path) -> None:
    text = spec(policies(6), org="full_aws_access: false\n")
    assert run("LZ002", text, tmp_path) == [
        ("root", "6 SCPs are attached directly to root (p0, p1, p2, p3, p4, p5); AWS allows 5")
    ]
