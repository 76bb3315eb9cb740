"""LZ213 switch-role-not-bound-to-organization."""

from dataclasses import replace
from pathlib import Path

from orgstack.model import OrgModel
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import pick
from orgstack.spec.loader import load_spec
from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import lines, run

HOPPER = (
    "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sts:AssumeRole', "
    "Resource: 'arn:aws:iam::*:role/*'}]}"
)
ACCESS = f"""\
  mode: iam
  users: {{ana: {{}}}}
  groups: {{ops: {{members: [ana]}}}}
  levels:
    hopper:
      content: {HOPPER}
  grants:
    - {{group: ops, level: hopper, accounts: all}}
    - {{group: ops, level: readonly, accounts: all}}
"""


def test_a_level_that_may_assume_roles_in_any_account_is_flagged_once(tmp_path: Path) -> None:
    assert run("LZ213", access_spec(ACCESS), tmp_path) == [
        (
            "access:app-dev/role/orgstack-Hopper",
            "orgstack-Hopper may assume roles in any AWS account (arn:aws:iam::*:role/*): no "
            "aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount condition",
        )
    ]
    assert lines("LZ213", access_spec(ACCESS), tmp_path) == [14]  # the level


def test_orgstacks_own_switch_role_policies_are_bound_and_so_is_a_bounded_level(
    tmp_path: Path,
) -> None:
    bounded = HOPPER.replace(
        "}]}", ", Condition: {StringEquals: {'aws:ResourceOrgID': o-abc123}}}]}"
    )
    assert run("LZ213", access_spec(ACCESS.replace(HOPPER, bounded)), tmp_path) == []
    named = HOPPER.replace("arn:aws:iam::*:role/*", "arn:aws:iam::111111111111:role/x")
    assert run("LZ213", access_spec(ACCESS.replace(HOPPER, named)), tmp_path) == []


def test_audit_flags_a_group_policy_read_from_aws_that_lost_its_bound(tmp_path: Path) -> None:
    (tmp_path / "orgstack.yaml").write_text(access_spec(ACCESS.replace(HOPPER, "{}")))
    model: OrgModel = load_spec(tmp_path / "orgstack.yaml")
    widened = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": ["arn:aws:iam::*:role/*"]}
        ],
    }
    live = {"access:management/group/orgstack-ops": {"members": ["ana"], "assume": widened}}
    found = run_rules(replace(model, live_resources=live), pick(("LZ213",), ())).findings
    assert [(f.address, f.message) for f in found] == [
        (
            "access:management/group/orgstack-ops",
            "orgstack-ops may assume roles in any AWS account (arn:aws:iam::*:role/*): no "
            "aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount condition",
        )
    ]
