"""The account alias kind on moto: set in the account it names (the management account's own,
member accounts' through the access role), read back, drift reverted, a stale plan refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack.apply.context import ApplyError
from orgstack.plan.model import Action
from tests.integration.test_access import account_ids, iam_in
from tests.integration.test_apply import apply_now, plan_now

MANAGEMENT = "123456789012"
SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root, iam_alias: acme-payer}
  web-dev: {purpose: workload, ou: root, stage: dev, iam_alias: acme-web-dev}
  web-prod: {purpose: workload, ou: root, stage: prod}
"""


def aliases(account_id: str) -> list[str]:
    found: list[str] = iam_in(account_id).list_account_aliases()["AccountAliases"]
    return found


def kind_changes(plan: Any) -> list[tuple[str, Action, Any, Any]]:
    return [
        (c.address, c.action, c.before, c.after)
        for c in plan.changes
        if c.address.startswith("iam-alias:")
    ]


def test_aliases_are_set_in_their_accounts_and_then_plan_empty(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert kind_changes(plan) == [
        ("iam-alias:management", Action.CREATE, None, {"alias": "acme-payer"}),
        ("iam-alias:web-dev", Action.CREATE, None, {"alias": "acme-web-dev"}),
    ]
    assert apply_now(plan, data).ok
    ids = account_ids()
    assert aliases(MANAGEMENT) == ["acme-payer"]
    assert aliases(ids["web-dev"]) == ["acme-web-dev"]
    assert aliases(ids["web-prod"]) == []
    assert plan_now()[0].empty


def test_an_alias_changed_out_of_band_is_drift_and_reverted(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    dev = account_ids()["web-dev"]
    iam_in(dev).create_account_alias(AccountAlias="someone-else")
    plan, data = plan_now()
    assert kind_changes(plan) == [
        (
            "iam-alias:web-dev",
            Action.UPDATE,
            {"alias": "someone-else"},
            {"alias": "acme-web-dev"},
        )
    ]
    assert apply_now(plan, data).ok
    assert aliases(dev) == ["acme-web-dev"]


def test_a_renamed_alias_is_replaced_and_a_stale_plan_refused(aws: None, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC.replace("acme-web-dev", "acme-web-development"))
    plan, data = plan_now()
    assert [c[0] for c in kind_changes(plan)] == ["iam-alias:web-dev"]
    dev = account_ids()["web-dev"]
    iam_in(dev).create_account_alias(AccountAlias="meanwhile")
    with pytest.raises(ApplyError) as refused:
        apply_now(plan, data)
    assert "iam-alias:web-dev: alias was 'acme-web-dev' when planned, is now 'meanwhile'" in (
        refused.value.message
    )
    assert aliases(dev) == ["meanwhile"]
    assert apply_now(*plan_now()).ok
    assert aliases(dev) == ["acme-web-development"]


def test_an_alias_left_out_of_the_spec_is_left_in_place(aws: None, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC.replace(", iam_alias: acme-web-dev", ""))
    assert plan_now()[0].empty
    assert aliases(account_ids()["web-dev"]) == ["acme-web-dev"]


def test_an_alias_of_another_aws_account_is_explained(aws: None, workdir: Path) -> None:
    creds = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn="arn:aws:iam::999999999999:role/elsewhere", RoleSessionName="other"
    )["Credentials"]
    boto3.client(
        "iam",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    ).create_account_alias(AccountAlias="acme-payer")
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    index = next(i for i, c in enumerate(plan.changes) if c.address == "iam-alias:management")
    result = apply_now(plan, data)
    assert result.outcome.failed[index].message == (
        "iam-alias:management: the alias acme-payer belongs to another AWS account "
        "(aliases are unique across AWS)"
    )
    assert result.outcome.failed[index].hint == (
        "Choose another iam_alias for account management, plan and apply again."
    )
    assert aliases(MANAGEMENT) == []
