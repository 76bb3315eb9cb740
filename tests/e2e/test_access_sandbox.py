"""Access on the sandbox as a user runs it: 20 accounts with switch-role roles stay well under
1 GB of emulator memory, and the managed-policy attachments apply and read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.configloader import raw_config_parse

from tests.e2e.test_sandbox import boto3_in_clean_env, exports, orgstack

pytestmark = pytest.mark.e2e

ACCOUNTS = 20


def spec() -> str:
    accounts = "".join(
        f"  app{i:02d}: {{purpose: workload, ou: Workloads, stage: {'prod' if i % 2 else 'dev'}}}\n"
        for i in range(ACCOUNTS - 1)
    )
    return (
        "organization: {name: acme, home_region: us-east-1, "
        "email_pattern: 'aws+{account}@acme.example', account_quota: 50}\n"
        "organizational_units: {Workloads: {}}\n"
        "accounts:\n  management: {purpose: management, ou: root}\n" + accounts + "access:\n"
        "  mode: iam\n"
        "  users: {ana: {}, bo: {}}\n"
        "  groups: {devs: {members: [ana]}, ops: {members: [bo]}}\n"
        "  grants:\n"
        "    - {group: devs, level: poweruser, accounts: {stage: dev}}\n"
        "    - {group: devs, level: readonly, accounts: {stage: prod}}\n"
        "    - {group: ops, level: security-audit, accounts: all}\n"
    )


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_twenty_accounts_with_access_roles_apply_read_back_and_stay_small(
    tmp_path: Path,
) -> None:
    try:
        started = orgstack(tmp_path, "sandbox", "start")
        assert started.returncode == 0, started.stderr
        (tmp_path / "orgstack.yaml").write_text(spec())
        planned = orgstack(tmp_path, "plan", "--sandbox", "-o", "plan.json")
        assert planned.returncode == 0, planned.stderr
        assert "Access, by account:" in planned.stdout
        applied = orgstack(tmp_path, "apply", "plan.json", "--sandbox")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        again = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert again.returncode == 0, again.stdout
        profiles = orgstack(tmp_path, "access", "--sandbox", "--user", "ana")
        assert profiles.returncode == 0, profiles.stderr
        (tmp_path / "config").write_text(profiles.stdout)
        parsed = raw_config_parse(str(tmp_path / "config"))
        assert len(parsed) == ACCOUNTS - 1  # every workload account, poweruser or readonly
        arn = parsed["profile app01-readonly"]["role_arn"]
        code = (
            "import boto3, json\n"
            f"account = {arn.split(':')[4]!r}\n"
            "c = boto3.client('sts').assume_role(RoleArn=f'arn:aws:iam::{account}:role/"
            "OrganizationAccountAccessRole', RoleSessionName='test')['Credentials']\n"
            "iam = boto3.client('iam', aws_access_key_id=c['AccessKeyId'], "
            "aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])\n"
            "print(json.dumps(sorted(p['PolicyArn'] for r in ('orgstack-ReadOnly', "
            "'orgstack-SecurityAudit') for p in "
            "iam.list_attached_role_policies(RoleName=r)['AttachedPolicies'])))\n"
        )
        read = boto3_in_clean_env(exports(started.stdout), code)
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout) == [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
        ], read.stderr
        status = json.loads(orgstack(tmp_path, "sandbox", "status", "--format", "json").stdout)
        assert rss_mib(status["pid"]) < 1024
    finally:
        orgstack(tmp_path, "sandbox", "stop")


@pytest.mark.parametrize("blueprint", ["minimal", "standard", "enterprise"])
def test_access_verify_proves_each_blueprints_matrix_on_a_checking_sandbox(
    blueprint: str, tmp_path: Path
) -> None:
    """The demo's proof through the CLI: the sandbox checks AssumeRole (--enforce-iam), and
    every (user, account, role) is assumable exactly when the matrix grants it."""
    try:
        started = orgstack(tmp_path, "sandbox", "start", "--enforce-iam")
        assert started.returncode == 0, started.stderr
        assert "It checks AssumeRole" in started.stderr
        made = orgstack(tmp_path, "init", "--blueprint", blueprint, "--domain", "acme.example")
        assert made.returncode == 0, made.stderr
        applied = orgstack(tmp_path, "apply", "--sandbox", "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        proof = orgstack(tmp_path, "access", "--sandbox", "--verify", "--format", "json")
        assert proof.returncode == 0, proof.stdout + proof.stderr
        found = json.loads(proof.stdout)
        assert found["ok"] is True
        granted = [p for p in found["probes"] if p["granted"]]
        assert granted and all(
            p["assumed_with_mfa"] and p["assumed_without_mfa"] is False for p in granted
        )
        assert any(not p["granted"] and not p["assumed_with_mfa"] for p in found["probes"])
        text = orgstack(tmp_path, "access", "--sandbox", "--verify")
        assert "pairs tried: every one as the matrix grants." in text.stdout
    finally:
        orgstack(tmp_path, "sandbox", "stop")


def test_access_verify_refuses_a_sandbox_that_does_not_check_iam(tmp_path: Path) -> None:
    try:
        assert orgstack(tmp_path, "sandbox", "start").returncode == 0
        orgstack(tmp_path, "init", "--blueprint", "minimal", "--domain", "acme.example")
        refused = orgstack(tmp_path, "access", "--sandbox", "--verify")
        assert refused.returncode == 1
        assert refused.stderr.splitlines() == [
            "Error: --verify needs a sandbox that checks AssumeRole as AWS does",
            "Hint: Restart it with `orgstack sandbox stop && orgstack sandbox start "
            "--enforce-iam`.",
        ]
    finally:
        orgstack(tmp_path, "sandbox", "stop")
