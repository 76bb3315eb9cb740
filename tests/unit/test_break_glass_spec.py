"""The break_glass: section: what it compiles to, what it refuses (with positions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.kinds.break_glass.desired import desired, revoked
from tests.unit.rules.helpers import load, spec

ACCOUNTS = """\
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root, id: '111122223333'}
  vault: {purpose: backup, ou: root, id: '444455556666'}
  web-prod: {purpose: workload, ou: root, stage: prod}
"""


def problems(tmp_path: Path, glass: str, accounts: str = ACCOUNTS) -> list[str]:
    with pytest.raises(SpecError) as error:
        load(tmp_path, spec(accounts + f"break_glass: {glass}\n"))
    return [f"{p.line}:{p.column}: {p.message}" for p in error.value.problems]


def test_the_role_goes_to_the_log_and_backup_accounts_trusting_the_named_with_mfa(
    tmp_path: Path,
) -> None:
    arn = "arn:aws:iam::777788889999:role/Responder"
    model = load(tmp_path, spec(ACCOUNTS + f"break_glass: {{trusted: [sam, '{arn}']}}\n"))
    values = desired(model, {"account:management": "123456789012"})
    assert sorted(values) == [
        "break-glass:log-archive/role",
        "break-glass:management/permission/sam",
        "break-glass:management/user/sam",  # no access.mode iam: the kind makes the user
        "break-glass:vault/role",
    ]
    assert values["break-glass:management/user/sam"] == {"name": "sam"}
    value = values["break-glass:vault/role"]
    assert value["name"] == "OrgstackBreakGlass"
    assert value["policies"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert value["max_session_s"] == 3600
    assert value["trust"]["Statement"] == [
        {
            "Sid": "BreakGlassWithMFA",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:user/sam", arn]},
            "Action": ["sts:AssumeRole"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
        }
    ]
    gone = revoked("break-glass:web-prod/role", value)
    assert (gone["policies"], gone["trust"]["Statement"][0]["Effect"]) == ([], "Deny")


def test_named_accounts_and_session_length(tmp_path: Path) -> None:
    text = "{trusted: [sam], accounts: [web-prod], max_session_hours: 4, role: Emergency}"
    model = load(tmp_path, spec(ACCOUNTS + f"break_glass: {text}\n"))
    values = desired(model, {})
    assert next(iter(values)) == "break-glass:web-prod/role"
    assert (
        values["break-glass:web-prod/role"]["name"],
        values["break-glass:web-prod/role"]["max_session_s"],
    ) == ("Emergency", 14400)


def test_what_the_section_refuses(tmp_path: Path) -> None:
    assert problems(tmp_path, "{trusted: []}") == [
        "10:24: break_glass.trusted: the list should have at least 1 item after validation, not 0"
    ]
    assert problems(tmp_path, "{role: OrganizationAccountAccessRole, trusted: [sam]}") == [
        "10:21: break_glass.role: 'OrganizationAccountAccessRole' is orgstack's access role; "
        "the break-glass role needs a name of its own"
    ]
    assert problems(tmp_path, "{role: orgstack-Admin, trusted: [sam]}") == [
        "10:21: break_glass.role: 'orgstack-Admin' is named like the access matrix's roles "
        "(orgstack-…); the break-glass role needs a name of its own"
    ]
    assert problems(tmp_path, "{trusted: ['arn:aws:iam::*:role/Any', sam, sam]}") == [
        "10:25: break_glass.trusted: 'arn:aws:iam::*:role/Any' is neither an IAM user name nor "
        "an IAM user or role ARN (arn:aws:iam::<12-digit account>:user/<name> or :role/<name>, "
        "no wildcards)",
        "10:57: break_glass.trusted: 'sam' is listed twice",
    ]
    assert problems(tmp_path, "{trusted: [sam], accounts: [log-archiv]}") == [
        "10:42: break_glass.accounts: no account 'log-archiv' (did you mean 'log-archive'?)"
    ]
    plain = "accounts:\n  management: {purpose: management, ou: root}\n"
    assert problems(tmp_path, "{trusted: [sam]}", plain) == [
        "7:1: break_glass: selects no account (none has purpose log-archive or backup); set "
        "break_glass.accounts"
    ]
