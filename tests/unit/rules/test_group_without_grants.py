"""LZ211 group-without-grants."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import lines, run

ACCESS = """\
  mode: identity-center
  users: {ana: {}}
  groups:
    ops: {members: [ana]}
    data: {members: [ana]}
  grants:
    - {group: ops, level: readonly, accounts: all}
"""


def test_a_group_nobody_grants_anything_is_flagged(tmp_path: Path) -> None:
    assert run("LZ211", access_spec(ACCESS), tmp_path) == [
        ("group:data", "group data has no grants")
    ]
    assert lines("LZ211", access_spec(ACCESS), tmp_path) == [14]


def test_every_group_granted_passes(tmp_path: Path) -> None:
    text = access_spec(ACCESS + "    - {group: data, level: readonly, accounts: {stage: dev}}\n")
    assert run("LZ211", text, tmp_path) == []
