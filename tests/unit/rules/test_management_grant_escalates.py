"""LZ222 management-grant-escalates."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import run

ACCESS = """\
  mode: iam
  users: {ana: {}}
  groups: {ops: {members: [ana]}, fin: {members: [ana]}}
  levels:
    hopper: {content: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sts:Assume*', Resource: 'arn:aws:iam::*:role/*'}]}}
    reader: {content: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/app-*'}]}}
  grants:
    - {group: fin, level: billing, accounts: {purpose: management}}
    - {group: ops, level: readonly, accounts: all}
"""


def test_billing_readonly_and_narrow_custom_levels_in_management_pass(tmp_path: Path) -> None:
    narrow = ACCESS + "    - {group: ops, level: reader, accounts: {account: management}}\n"
    assert run("LZ222", access_spec(narrow), tmp_path) == []


def test_poweruser_admin_and_an_assuming_custom_level_in_management_escalate(
    tmp_path: Path,
) -> None:
    text = access_spec(
        ACCESS
        + "    - {group: ops, level: poweruser, accounts: {purpose: management}}\n"
        + "    - {group: fin, level: admin, accounts: all}\n"
        + "    - {group: ops, level: hopper, accounts: {account: management}}\n"
    )
    reach = (
        "in management reaches every member account (2 in the spec) as administrator: {0} "
        "may call sts:AssumeRole on OrganizationAccountAccessRole, which trusts the "
        "management account, outside every SCP"
    )
    assert run("LZ222", text, tmp_path) == [
        (f"grant:{group}/{level}", f"grant {group} → {level} " + reach.format(level))
        for group, level in (("ops", "poweruser"), ("fin", "admin"), ("ops", "hopper"))
    ]


def test_an_acknowledged_reach_is_suppressed(tmp_path: Path) -> None:
    text = access_spec(
        ACCESS + "    - {group: ops, level: poweruser, accounts: {purpose: management}}\n"
    ) + (
        "ignore:\n  - {rule: LZ222, target: 'grant:ops/poweruser', "
        "reason: the platform team administers every account}\n"
    )
    assert run("LZ222", text, tmp_path) == []
