"""LZ009 account-email-invalid."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def test_derived_and_plus_addressed_emails_pass(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  web: {purpose: sandbox, ou: root}\n  api: {purpose: sandbox, ou: root, email: o'neil+api@mail.acme.co.uk}\n"
    )
    assert run("LZ009", text, tmp_path) == []


def test_invalid_emails_fail(tmp_path: Path) -> None:
    text = spec(
        "accounts:\n  a: {purpose: sandbox, ou: root, email: aws@localhost}\n  b: {purpose: sandbox, ou: root, email: 'x y@acme.example'}\n"
    )
    assert run("LZ009", text, tmp_path) == [
        ("account:a", "account a: 'aws@localhost' is not a valid e-mail address"),
        ("account:b", "account b: 'x y@acme.example' is not a valid e-mail address"),
    ]


def test_management_account_without_email_passes(tmp_path: Path) -> None:
    assert run("LZ009", spec("accounts:\n  m: {purpose: management, ou: root}\n"), tmp_path) == []
