"""A crash between making a KMS key and naming it leaves no orphan: the key carries the
address of its change (``orgstack:address``) from birth, and the next apply — resumed, or a
new plan — adopts it. Before, a killed apply left an extra key per crash in the log archive
and the backup account (seen: 3 of 12 killed applies left 2–3 keys)."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from orgstack import api
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_apply import Crash, apply_now, crash_at, plan_now, reset_moto
from tests.integration.test_backup_accounts import SPEC as BACKUP
from tests.integration.test_log_archive import member

SPEC = (
    BACKUP.replace(
        "  management: {purpose: management, ou: root}",
        "  management: {purpose: management, ou: root}\n  log-archive: {purpose: log-archive, ou: root}",
    )
    + "logging: {}\n"
)
KEYS = {
    "log-archive:log-archive/key": ("log-archive", "alias/orgstack-logs"),
    "backup-vault:backup/eu-west-1/key": ("backup", "alias/orgstack-backup"),
}


def orgstack_keys(account: str) -> Counter[str]:
    """The customer managed keys of the account by the address they were made for."""
    kms = member(account_ids()[account], "kms")
    found: Counter[str] = Counter()
    for key in kms.list_keys()["Keys"]:
        tags = {
            t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key["KeyId"])["Tags"]
        }
        if "orgstack:address" in tags:
            found[tags["orgstack:address"]] += 1
    return found


def named(account: str, alias: str) -> str:
    return str(
        member(account_ids()[account], "kms").describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
    )


@pytest.mark.parametrize("again", ["resume", "new plan"])
def test_a_crash_between_key_and_alias_leaves_one_key(again: str, aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    for address, (account, alias) in KEYS.items():
        reset_moto()
        plan, data = plan_now()
        index = [c.address for c in plan.changes].index(address)
        fresh = dict(data, plan_id=uuid.uuid4().hex)
        with pytest.raises(Crash):
            apply_now(plan, fresh, checkpoint=crash_at(index, "created"))
        assert orgstack_keys(account) == Counter({address: 1})  # made, not named
        if again == "resume":
            result = apply_now(plan, fresh, resume=True)
        else:
            result = apply_now(*plan_now())
        assert result.ok, {i: e.message for i, e in result.outcome.failed.items()}
        assert orgstack_keys(account) == Counter({address: 1}), address
        kms = member(account_ids()[account], "kms")
        tags = {
            t["TagKey"]: t["TagValue"]
            for t in kms.list_resource_tags(KeyId=named(account, alias))["Tags"]
        }
        assert tags == {
            "orgstack:purpose": account,
            "orgstack:address": address,
        }
        assert api.make_plan("orgstack.yaml", FAST).plan.changes == (), address
