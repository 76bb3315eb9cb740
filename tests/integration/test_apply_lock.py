"""One apply at a time, and a revocation stays revoked — kept in AWS (the management
account's ``orgstack-state`` table), where every runner sees it: a second apply while one
runs is refused naming its holder; a dead holder's lock is lifted by ``--force-unlock`` or
when its lease ends; a plan older than the last applied one is refused even from a fresh
folder (a new CI runner), and so is a plan applied already. Nothing in AWS changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack import api
from orgstack.apply.context import ApplyError
from orgstack.apply.ledger import TABLE, Ledger
from orgstack.aws.context import AwsContext
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids, iam_in
from tests.integration.test_apply import apply_now, plan_now

MANAGEMENT = "123456789012"
SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-prod: {purpose: workload, ou: root, stage: prod}
access:
  mode: iam
  users: {ana: {}}
  groups: {ops: {members: [ana]}}
  grants:
    - {group: ops, level: readonly, accounts: all}
"""


def ledger() -> Ledger:
    return Ledger(AwsContext(FAST), "us-east-1", MANAGEMENT)


def roles_in(account: str) -> list[str]:
    return sorted(r["RoleName"] for r in iam_in(account).list_roles()["Roles"])


def test_a_second_apply_is_refused_naming_the_holder_until_the_lock_is_lifted(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    held = ledger()
    held.ensure_table()
    held.lock("0" * 32)
    with pytest.raises(ApplyError) as error:
        apply_now(plan, data)
    assert error.value.message.startswith(f"another apply holds the lock: plan {'0' * 32} by ")
    assert "since " in error.value.message and "(lease until " in error.value.message
    client = boto3.client("organizations", region_name="us-east-1")
    with pytest.raises(client.exceptions.AWSOrganizationsNotInUseException):
        client.describe_organization()  # nothing was made
    unlocked = api.force_unlock("orgstack.yaml", FAST)
    assert unlocked is not None and unlocked["plan_id"] == "0" * 32
    assert api.force_unlock("orgstack.yaml", FAST) is None
    assert apply_now(plan, data).ok
    assert ledger().holder() is None  # released when the apply ended


def test_a_lock_whose_lease_ended_is_taken_over(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    dead = ledger()
    dead.ensure_table()
    dead.lock("f" * 32)
    boto3.client("dynamodb", region_name="us-east-1").update_item(
        TableName=TABLE,
        Key={"pk": {"S": f"lock#{MANAGEMENT}"}},
        UpdateExpression="SET lease_until = :t",
        ExpressionAttributeValues={":t": {"N": str(int(time.time()) - 1)}},
    )
    assert apply_now(plan, data).ok


def test_two_applies_at_once_one_runs_the_other_is_refused(
    aws: None, workdir: Path, serial_moto: None
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(
        SPEC.replace("users: {ana: {}}", "users: {ana: {}, bo: {}}").replace("[ana]", "[ana, bo]")
    )
    first = plan_now()
    second = plan_now()
    running, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def hold(_index: int, _phase: str) -> None:
        running.set()
        release.wait(30)

    def run_first() -> None:
        results["first"] = apply_now(*first, checkpoint=hold)

    thread = threading.Thread(target=run_first)
    thread.start()
    assert running.wait(30)
    with pytest.raises(ApplyError) as error:
        apply_now(*second)
    release.set()
    thread.join(60)
    assert error.value.message.startswith(
        f"another apply holds the lock: plan {first[1]['plan_id']} by "
    )
    assert results["first"].ok
    assert plan_now()[0].empty


def test_an_old_plan_replayed_from_a_fresh_folder_is_refused(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    grant, grant_data = plan_now()
    assert apply_now(grant, grant_data).ok
    prod = account_ids()["web-prod"]
    assert "orgstack-ReadOnly" in roles_in(prod)
    spec.write_text(SPEC.replace("accounts: all", "accounts: {account: management}"))
    revoke, revoke_data = plan_now()
    assert apply_now(revoke, revoke_data).ok
    # A new runner (no journal) with the first plan and its spec: the ledger remembers.
    spec.write_text(SPEC)
    monkeypatch.setenv("ORGSTACK_STATE_DIR", str(workdir / "fresh"))
    with pytest.raises(ApplyError) as error:
        apply_now(grant, grant_data)
    assert error.value.message == (
        f"plan {grant_data['plan_id']} was made {grant_data['created_at']}, before plan "
        f"{revoke_data['plan_id']} (made {revoke_data['created_at']}, applied "
        f"{error.value.message.split('applied ')[1].split(')')[0]}): applying it would undo "
        "what later plans did"
    )
    spec.write_text(SPEC.replace("accounts: all", "accounts: {account: management}"))
    with pytest.raises(ApplyError) as again:
        apply_now(revoke, revoke_data)
    assert "was applied already" in again.value.message
    assert ledger().holder() is None  # a refused apply leaves no lock
    assert (
        iam_in(prod).get_role(RoleName="orgstack-ReadOnly")["Role"]["AssumeRolePolicyDocument"][
            "Statement"
        ][0]["Effect"]
        == "Deny"
    )  # still revoked


def test_a_lock_left_by_a_killed_apply_on_this_machine_is_taken_over(
    aws: None, workdir: Path
) -> None:
    """SIGKILL leaves the lock behind; `apply --resume` on the same machine must not wait out
    the lease: a holder of this host whose process is gone is taken over at once."""
    import getpass
    import socket

    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    dead = ledger()
    dead.ensure_table()
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName=TABLE,
        Item={
            "pk": {"S": f"lock#{MANAGEMENT}"},
            "holder": {"S": f"{getpass.getuser()}@{socket.gethostname()} pid 4194303"},
            "plan_id": {"S": "e" * 32},
            "since": {"S": "2026-12-07T00:00:00+00:00"},
            "lease_until": {"N": str(int(time.time()) + 600)},
        },
    )
    assert apply_now(plan, data).ok
    # Another machine's holder is never presumed dead.
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName=TABLE,
        Item={
            "pk": {"S": f"lock#{MANAGEMENT}"},
            "holder": {"S": "ci@runner-7 pid 4194303"},
            "plan_id": {"S": "e" * 32},
            "since": {"S": "2026-12-07T00:00:00+00:00"},
            "lease_until": {"N": str(int(time.time()) + 600)},
        },
    )
    with pytest.raises(ApplyError) as error:
        apply_now(*plan_now())
    assert "by ci@runner-7 pid 4194303" in error.value.message


def test_an_apply_killed_once_the_ledger_recorded_it_resumes(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill after the ledger named the plan applied, before any change: the journal is
    there, so `apply --resume` continues it (the ledger lets the same plan resume) instead of
    both `apply plan.json` ("applied already") and `--resume` ("nothing to resume") refusing."""
    from orgstack.apply.journal import latest_unfinished
    from orgstack.sandbox.state import local_state_dir

    class Killed(BaseException):
        pass

    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    recorded = Ledger.record

    def record_then_die(self: Ledger, *args: Any) -> None:
        recorded(self, *args)
        raise Killed

    monkeypatch.setattr(Ledger, "record", record_then_die)
    with pytest.raises(Killed):
        apply_now(plan, data)
    monkeypatch.setattr(Ledger, "record", recorded)
    journal = latest_unfinished(local_state_dir() / "journal")
    assert journal is not None and journal.path.stem == data["plan_id"]
    with pytest.raises(ApplyError) as again:
        apply_now(plan, data)
    assert again.value.message == (
        f"plan {data['plan_id']} was partly applied (journal {journal.path})"
    )
    assert apply_now(plan, data, resume=True).ok
    assert plan_now()[0].empty
