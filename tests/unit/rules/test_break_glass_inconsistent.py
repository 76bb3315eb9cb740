"""LZ221 break-glass-inconsistent."""

from pathlib import Path

from tests.unit.rules.access_helpers import access_spec
from tests.unit.rules.helpers import lines, run

ACCOUNTS = """\
accounts:
  management: {purpose: management, ou: root, email: root@acme.example}
  log-archive: {purpose: log-archive, ou: root}
  app-prod: {purpose: workload, ou: root, stage: prod}
"""
ACCESS = """\
  mode: iam
  users: {sam: {}}
  groups: {sec: {members: [sam]}}
  grants:
    - {group: sec, level: readonly, accounts: all}
"""


def text(glass: str, logging: str = "{retention_days: 400}") -> str:
    return access_spec(ACCESS, ACCOUNTS) + f"logging: {logging}\nbreak_glass: {glass}\n"


def test_one_role_trusting_known_users_passes(tmp_path: Path) -> None:
    assert run("LZ221", text("{trusted: [sam]}"), tmp_path) == []
    arn = "arn:aws:iam::111122223333:role/Responder"
    assert run("LZ221", text(f"{{trusted: [sam, '{arn}']}}"), tmp_path) == []


def test_a_logging_exemption_naming_another_role_is_an_error(tmp_path: Path) -> None:
    found = text("{role: EmergencyAdmin, trusted: [sam]}")
    assert run("LZ221", found, tmp_path) == [
        (
            "account:log-archive",
            "logging.break_glass_role is 'OrgstackBreakGlass' but break_glass.role is "
            "'EmergencyAdmin': the logging guardrails exempt a role orgstack does not make",
        )
    ]
    same = text("{role: EmergencyAdmin, trusted: [sam]}", "{break_glass_role: EmergencyAdmin}")
    assert run("LZ221", same, tmp_path) == []


def test_a_trusted_name_no_user_has_is_an_error_at_its_line(tmp_path: Path) -> None:
    found = text("{trusted: [sam, sasm]}")
    assert run("LZ221", found, tmp_path) == [
        (
            "break-glass",
            "break_glass.trusted: 'sasm' is not a user of access.users (the role would trust "
            "management's user sasm, which orgstack does not make)",
        )
    ]
    assert lines("LZ221", found, tmp_path) == [
        found.splitlines().index("break_glass: {trusted: [sam, sasm]}") + 1
    ]


def test_no_break_glass_section_is_not_judged_here(tmp_path: Path) -> None:
    plain = access_spec(ACCESS, ACCOUNTS) + "logging: {break_glass_role: Other}\n"
    assert run("LZ221", plain, tmp_path) == []
