"""LZ016 account-quota-exceeded."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def accounts(count: int) -> str:
    return "accounts:\n" + "".join(
        f"  a{i}: {{purpose: sandbox, ou: root}}\n" for i in range(count)
    )


def test_ten_accounts_fit_the_default_quota(tmp_path: Path) -> None:
    assert run("LZ016", spec(accounts(10)), tmp_path) == []


def test_eleven_accounts_exceed_it(tmp_path: Path) -> None:
    assert run("LZ016", spec(accounts(11)), tmp_path) == [
        (
            "organization",
            "11 accounts are declared; the account quota is 10 (request L-29A0C5DF in Service Quotas, then set organization.account_quota)",
        )
    ]


def test_a_raised_quota_is_respected(tmp_path: Path) -> None:
    assert run("LZ016", spec(accounts(11), org="account_quota: 20\n"), tmp_path) == []
