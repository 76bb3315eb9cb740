"""LZ011 account-email-duplicate (the loader refuses this spec, so the model is built in code)."""

from dataclasses import replace
from pathlib import Path

from tests.unit.rules.helpers import load, run_model, spec

TWO = "accounts:\n  web: {purpose: sandbox, ou: root}\n  api: {purpose: sandbox, ou: root}\n"


def test_distinct_emails_pass(tmp_path: Path) -> None:
    assert run_model("LZ011", load(tmp_path, spec(TWO))) == []


def test_same_email_ignoring_case_fails(tmp_path: Path) -> None:
    model = load(tmp_path, spec(TWO))
    web, api = model.accounts
    model = replace(model, accounts=(web, replace(api, email="AWS+WEB@acme.example")))
    assert run_model("LZ011", model) == [
        (
            "account:api",
            "account api: root e-mail AWS+WEB@acme.example is also the root e-mail of account web",
        )
    ]
