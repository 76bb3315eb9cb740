"""LZ209 prod-write-for-broad-group."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import run

USERS = "  users: {a: {}, b: {}, c: {}, d: {}}\n"


def test_devops_poweruser_and_developers_readonly_in_prod_pass(tmp_path: Path) -> None:
    text = access_spec(
        "  mode: iam\n" + USERS + "  groups: {developers: {members: [a, b, c]}, "
        "devops: {members: [d]}}\n  grants:\n"
        "    - {group: developers, level: readonly, accounts: {stage: prod}}\n"
        "    - {group: devops, level: poweruser, accounts: {stage: prod}}\n"
    )
    assert run("LZ209", text, tmp_path) == []


def test_broad_write_and_admin_in_prod_are_flagged(tmp_path: Path) -> None:
    text = access_spec(
        "  mode: iam\n" + USERS + "  groups: {team: {members: [a, b]}, "
        "developers: {members: [c]}, ops: {members: [d]}}\n  grants:\n"
        "    - {group: team, level: poweruser, accounts: all}\n"
        "    - {group: developers, level: poweruser, accounts: {stage: [dev, prod]}}\n"
        "    - {group: ops, level: admin, accounts: {stage: prod}}\n"
        "    - {group: ops, level: admin, accounts: {stage: dev}}\n"
    )
    assert run("LZ209", text, tmp_path) == [
        (
            "grant:team/poweruser",
            "broad group team (2 of 4 users) gets poweruser in prod account(s) app-prod",
        ),
        (
            "grant:developers/poweruser",
            "broad group developers (1 of 4 users) gets poweruser in prod account(s) app-prod",
        ),
        ("grant:ops/admin", "group ops is admin in prod account(s) app-prod"),
    ]
