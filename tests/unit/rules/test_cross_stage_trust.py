"""LZ210 cross-stage-trust."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import run

GRANTS = """\
  users: {ana: {}}
  groups: {ops: {members: [ana]}}
  grants:
    - {group: ops, level: poweruser, accounts: {stage: prod}}
"""


def test_identities_in_the_management_account_pass(tmp_path: Path) -> None:
    assert run("LZ210", access_spec("  mode: iam\n" + GRANTS), tmp_path) == []


def test_identities_in_a_dev_account_trusted_by_prod_are_flagged(tmp_path: Path) -> None:
    text = access_spec("  mode: iam\n  identity_account: app-dev\n" + GRANTS)
    assert run("LZ210", text, tmp_path) == [
        (
            "access:app-prod/role/orgstack-PowerUser",
            "orgstack-PowerUser in prod account app-prod trusts non-prod account(s) "
            "{account:app-dev} (dev)",
        )
    ]
