"""LZ208 role-trust-outside-org-or-without-mfa."""

from pathlib import Path

from orgstack.model.core import Account, Organization, OrgModel
from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import load, run, run_model

ACCESS = """\
  mode: iam
  users: {ana: {}}
  groups: {devs: {members: [ana]}}
  grants:
    - {group: devs, level: poweruser, accounts: {stage: dev}}
    - {group: devs, level: readonly, accounts: {stage: prod}, mfa: false}
"""


def test_grants_with_mfa_pass_and_one_without_is_flagged(tmp_path: Path) -> None:
    assert run("LZ208", access_spec(ACCESS), tmp_path) == [
        (
            "access:app-prod/role/orgstack-ReadOnly",
            "orgstack-ReadOnly in app-prod can be assumed without MFA",
        )
    ]


def test_live_trust_naming_an_outside_account_is_flagged(tmp_path: Path) -> None:
    model = load(tmp_path, access_spec(ACCESS.replace(", mfa: false", "")))
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::999999999999:root"]},
                "Action": ["sts:AssumeRole"],
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
            }
        ],
    }
    live = OrgModel(
        Organization("acme", "eu-west-1", (), None, management_account_id="111111111111"),
        accounts=(Account("app-dev", "workload", "root", None, id="222222222222", stage="dev"),),
        sections=model.sections,
        live_resources={"access:app-dev/role/orgstack-PowerUser": {"trust": trust}},
    )
    assert run_model("LZ208", live) == [
        (
            "access:app-dev/role/orgstack-PowerUser",
            "orgstack-PowerUser in app-dev trusts principals outside the organization: "
            "999999999999",
        )
    ]
