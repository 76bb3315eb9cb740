"""``access --verify`` on an emulator that checks AssumeRole as AWS does: for every blueprint,
every (user, account, role) is assumable exactly when the matrix grants it, with MFA; a trust
widened out of band, or a missing MFA, shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orgstack.flows.verify import verify_access as verify
from orgstack.sandbox.shims import enforce
from orgstack.spec.layouts import BLUEPRINTS, Layout
from tests.integration.conftest import FAST
from tests.integration.test_access import (
    MANAGEMENT,
    SMALL,
    account_ids,
    converge,
    iam_in,
    imported_legacy,
    mfa_device,
    write,
)


@pytest.fixture
def enforcing(aws: None) -> Iterator[None]:
    enforce(True)
    yield
    enforce(False)


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_every_blueprints_roles_are_assumable_exactly_as_the_matrix_grants(
    layout: Layout, enforcing: None, workdir: Path
) -> None:
    write(layout, workdir)
    converge()
    result = verify("orgstack.yaml", FAST, enforcing=True)
    wrong = [p for p in result.probes if not p.ok]
    assert wrong == []
    granted = [p for p in result.probes if p.granted]
    assert granted and all(p.with_mfa and p.without_mfa is False for p in granted)
    assert any(not p.granted and not p.with_mfa for p in result.probes)
    # The proof leaves nothing behind: no key, no MFA device.
    iam = boto3.client("iam", region_name="us-east-1")
    for user in {p.user for p in result.probes}:
        assert iam.list_access_keys(UserName=user)["AccessKeyMetadata"] == []
        assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []


def test_a_trust_widened_out_of_band_and_a_group_policy_dropped_are_caught(
    enforcing: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    converge()
    prod = account_ids()["web-prod"]
    role = iam_in(prod).get_role(RoleName="orgstack-PowerUser")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust["Statement"][0]["Principal"]["AWS"] = [
        f"arn:aws:iam::{MANAGEMENT}:user/ana",
        f"arn:aws:iam::{MANAGEMENT}:user/bo",
    ]
    iam_in(prod).update_assume_role_policy(
        RoleName="orgstack-PowerUser", PolicyDocument=json.dumps(trust)
    )
    result = verify("orgstack.yaml", FAST, enforcing=True)
    # ana is trusted now, but her group's switch-role policy does not select the role (it is
    # not tagged for devs): still refused. The matrix holds.
    assert result.ok
    iam_in(prod).tag_role(
        RoleName="orgstack-PowerUser", Tags=[{"Key": "orgstack:grant/devs", "Value": "true"}]
    )
    result = verify("orgstack.yaml", FAST, enforcing=True)
    assert [
        (p.user, p.account, p.role, p.granted, p.with_mfa) for p in result.probes if not p.ok
    ] == [("ana", "web-prod", "orgstack-PowerUser", False, True)]


def test_the_emulator_refuses_a_granted_role_without_mfa_and_an_ungranted_one_with_it(
    enforcing: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    converge()
    iam = boto3.client("iam", region_name="us-east-1")
    key = iam.create_access_key(UserName="ana")["AccessKey"]
    serial = mfa_device(iam, "ana", "ana")
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                       aws_secret_access_key=key["SecretAccessKey"])  # fmt: skip
    ids = account_ids()

    def assume(account: str, role: str, **mfa: Any) -> str:
        try:
            sts.assume_role(
                RoleArn=f"arn:aws:iam::{ids[account]}:role/{role}", RoleSessionName="test", **mfa
            )
        except ClientError as exc:
            return str(exc.response["Error"]["Message"]).split("resource: ", 1)[1].split(": ", 1)[1]
        return "allowed"

    with_mfa = {"SerialNumber": serial, "TokenCode": "123456"}
    assert assume("web-dev", "orgstack-PowerUser", **with_mfa) == "allowed"
    assert assume("web-dev", "orgstack-PowerUser") == (
        f"the trust policy of arn:aws:iam::{ids['web-dev']}:role/orgstack-PowerUser does not "
        f"allow arn:aws:iam::{MANAGEMENT}:user/ana (without MFA)"
    )
    assert assume("web-prod", "orgstack-PowerUser", **with_mfa) == (
        f"the trust policy of arn:aws:iam::{ids['web-prod']}:role/orgstack-PowerUser does not "
        f"allow arn:aws:iam::{MANAGEMENT}:user/ana"
    )
    assert (
        assume("web-dev", "orgstack-PowerUser", SerialNumber=serial, TokenCode="12345x")
        != "allowed"
    )


def test_verify_probes_accounts_the_spec_no_longer_names_and_survives_an_interrupted_run(
    enforcing: None, workdir: Path
) -> None:
    """An account dropped from the spec is probed too (its revoked roles refuse everyone);
    a device an interrupted run left behind does not break the next."""
    imported_legacy(workdir / "orgstack.yaml")
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="orgstack-verify-ana")  # a leftover
    before = verify("orgstack.yaml", FAST, enforcing=True)  # not yet revoked: it shows
    assert sorted({(p.account, p.role) for p in before.probes if not p.ok}) == [
        ("legacy", "orgstack-PowerUser"),
        ("legacy", "orgstack-ReadOnly"),
    ]
    converge()
    after = verify("orgstack.yaml", FAST, enforcing=True)
    legacy_probes = [p for p in after.probes if p.account == "legacy"]
    assert legacy_probes and all(p.ok and not p.with_mfa for p in legacy_probes)
    assert after.ok
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_verify_tries_the_chain_a_management_grant_opens(enforcing: None, workdir: Path) -> None:
    """PowerUser in the management account reaches every member account through the
    organization access role: --verify shows the chain working (LZ222's reach)."""
    text = (
        SMALL.replace(
            "    - {group: ops, level: poweruser, accounts: {stage: prod}}\n",
            "    - {group: ops, level: poweruser, accounts: {stage: prod}}\n"
            "    - {group: ops, level: poweruser, accounts: {purpose: management}}\n",
        )
        + "ignore:\n  - {rule: LZ222, target: 'grant:ops/poweruser', reason: testing the reach}\n"
    )
    (workdir / "orgstack.yaml").write_text(text)
    converge()
    result = verify("orgstack.yaml", FAST, enforcing=True)
    chained = sorted((p.user, p.account, p.with_mfa) for p in result.probes if "→" in p.role)
    assert chained == [("bo", "web-dev", True), ("bo", "web-prod", True)]
    assert result.ok
