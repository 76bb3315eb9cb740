"""LZ018 access-policy-too-large."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import run


def people(count: int) -> str:
    users = ", ".join(f"user{i:03d}: {{}}" for i in range(count))
    members = ", ".join(f"user{i:03d}" for i in range(count))
    return f"  mode: iam\n  users: {{{users}}}\n  groups: {{ops: {{members: [{members}]}}}}\n"


def test_a_small_trust_passes(tmp_path: Path) -> None:
    text = access_spec(
        people(5) + "  grants:\n    - {group: ops, level: readonly, accounts: all}\n"
    )
    assert run("LZ018", text, tmp_path) == []


def test_trust_over_the_default_and_over_the_maximum(tmp_path: Path) -> None:
    grant = "  grants:\n    - {group: ops, level: readonly, accounts: {stage: dev}}\n"
    assert run("LZ018", access_spec(people(50) + grant), tmp_path) == [
        (
            "access:app-dev/role/orgstack-ReadOnly",
            "trust policy of orgstack-ReadOnly in app-dev is 2244 characters; the default "
            "quota is 2048 (request up to 4096 first)",
        )
    ]
    assert run("LZ018", access_spec(people(100) + grant), tmp_path) == [
        (
            "access:app-dev/role/orgstack-ReadOnly",
            "trust policy of orgstack-ReadOnly in app-dev is 4294 characters; IAM allows at "
            "most 4096",
        )
    ]


def test_a_thousand_dev_accounts_keep_the_group_policy_small(tmp_path: Path) -> None:
    """Roles are selected by organization and grant tag, not listed: the switch-role policy
    of a group granted 1,000 accounts is as small as one granted a single account."""
    accounts = "accounts:\n  management: {purpose: management, ou: root, email: r@acme.example}\n"
    accounts += "".join(
        f"  app{i:04d}-dev: {{purpose: workload, ou: root, stage: dev}}\n" for i in range(1000)
    )
    accounts += "  app-prod: {purpose: workload, ou: root, stage: prod}\n"
    grant = (
        "  grants:\n    - {group: ops, level: poweruser, accounts: {stage: dev}}\n"
        "    - {group: ops, level: readonly, accounts: {stage: prod}}\n"
    )
    assert run("LZ018", access_spec(people(3) + grant, accounts), tmp_path) == []
