"""LZ212 user-without-group."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import run

ACCESS = """\
  mode: iam
  users: {ana: {}, bob: {email: bob@acme.example}}
  groups: {ops: {members: [ana]}}
  grants:
    - {group: ops, level: readonly, accounts: all}
"""


def test_a_user_in_no_group_is_flagged(tmp_path: Path) -> None:
    assert run("LZ212", access_spec(ACCESS), tmp_path) == [("user:bob", "user bob is in no group")]


def test_users_in_groups_pass(tmp_path: Path) -> None:
    text = access_spec(ACCESS.replace("members: [ana]", "members: [ana, bob]"))
    assert run("LZ212", text, tmp_path) == []
