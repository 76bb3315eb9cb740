"""What every runner of an organization shares, kept in AWS (the management account, the
organization's home Region), not in a folder a new CI runner does not have: one DynamoDB table,
``orgstack-state``, made on the first apply (on demand billing, a few items).

- **The apply lock** (item ``lock#<management account>``): taken with a conditional write that
  succeeds only when no lock exists or its lease ended; it names its holder (user, host,
  process), the plan and the lease's end; a heartbeat extends the lease while the apply runs;
  it is released (conditionally: only by its holder) when the apply ends. A second apply is
  refused with who holds it; ``apply --force-unlock`` removes a dead holder's lock.
- **The last applied plan** (item ``applied#<management account>``): its id and when it was made.
  A plan made before it is refused (a replayed plan would undo what later plans did: a
  revoked grant would come back), and so is the same plan once it finished; resuming it is not.
  Recorded with a conditional write too, so two runners cannot both pass the check.

DynamoDB's conditional writes are atomic for one item (``ConditionExpression``), which is
what a lock needs; a lease that ends is what a lock held by a killed process needs.

IAM actions: dynamodb:DescribeTable, dynamodb:CreateTable, dynamodb:PutItem,
dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:GetItem
"""

from __future__ import annotations

import getpass
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from orgstack.apply.context import ApplyError
from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError

TABLE = "orgstack-state"
#: How long a lock lives without a heartbeat (a killed apply frees it after this).
LEASE_S = 900
HEARTBEAT_S = 60
CONFLICT = "ConditionalCheckFailedException"


@dataclass(frozen=True)
class Ledger:
    """The shared state of one organization (``key``: its management account's id, which an
    organization has from before it exists to its end)."""

    aws: AwsContext
    region: str
    key: str

    @property
    def client(self) -> Any:
        return self.aws.client("dynamodb", self.region)

    def ensure_table(self) -> None:
        """Make the table once; wait until it answers."""
        try:
            found = self.aws.call(self.client, "describe_table", TableName=TABLE)
            status = found["Table"]["TableStatus"]
        except AwsError as exc:
            if exc.code != "ResourceNotFoundException":
                raise
            try:
                made = self.aws.call(
                    self.client,
                    "create_table",
                    TableName=TABLE,
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    BillingMode="PAY_PER_REQUEST",
                    Tags=[{"Key": "orgstack:purpose", "Value": "apply lock and applied plans"}],
                )
                status = made["TableDescription"]["TableStatus"]
            except AwsError as again:
                if again.code != "ResourceInUseException":  # another runner made it
                    raise
                status = "CREATING"
        for _ in range(120):
            if status == "ACTIVE":
                return
            time.sleep(1)
            status = self.aws.call(self.client, "describe_table", TableName=TABLE)["Table"][
                "TableStatus"
            ]
        raise ApplyError(
            f"the DynamoDB table {TABLE} (management account, {self.region}) did not become "
            "active in 2 minutes",
            "Try again; the table is orgstack's apply lock.",
        )

    def _get(self, pk: str) -> dict[str, Any] | None:
        item = self.aws.call(
            self.client, "get_item", TableName=TABLE, Key={"pk": {"S": pk}}, ConsistentRead=True
        ).get("Item")
        return {k: next(iter(v.values())) for k, v in item.items()} if item else None

    def holder(self) -> dict[str, Any] | None:
        return self._get(f"lock#{self.key}")

    def _put(self, item: dict[str, Any], condition: str, values: dict[str, Any]) -> bool:
        """A conditional write; False when the condition did not hold."""
        try:
            self.aws.call(
                self.client,
                "put_item",
                TableName=TABLE,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except AwsError as exc:
            if exc.code != CONFLICT:
                raise
            return False
        return True

    def _put_lock(self, me: str, plan_id: str, condition: str, values: dict[str, Any]) -> bool:
        now = int(time.time())
        item = {
            "pk": {"S": f"lock#{self.key}"},
            "holder": {"S": me},
            "plan_id": {"S": plan_id},
            "since": {"S": _iso(now)},
            "lease_until": {"N": str(now + LEASE_S)},
        }
        return self._put(item, condition, values)

    def lock(self, plan_id: str) -> str:
        """Take the lock for ``plan_id``; its holder's name, or ApplyError naming who has it.
        A holder on this machine whose process is gone (killed) is taken over at once."""
        me = _me()
        now = int(time.time())
        free = "attribute_not_exists(pk) OR lease_until < :now"
        if self._put_lock(me, plan_id, free, {":now": {"N": str(now)}}):
            return me
        held = self.holder() or {}
        if _dead_here(str(held.get("holder", ""))) and self._put_lock(
            me, plan_id, "holder = :old", {":old": {"S": str(held["holder"])}}
        ):
            return me
        until = int(held.get("lease_until", now))
        raise ApplyError(
            f"another apply holds the lock: plan {held.get('plan_id')} by "
            f"{held.get('holder')} since {held.get('since')} (lease until {_iso(until)})",
            "Wait for it to finish; if its holder died, `orgstack apply --force-unlock` "
            "(or wait until the lease ends).",
        )

    def extend(self, me: str) -> None:
        now = int(time.time())
        try:
            self.aws.call(
                self.client,
                "update_item",
                TableName=TABLE,
                Key={"pk": {"S": f"lock#{self.key}"}},
                UpdateExpression="SET lease_until = :until",
                ConditionExpression="holder = :me",
                ExpressionAttributeValues={
                    ":until": {"N": str(now + LEASE_S)},
                    ":me": {"S": me},
                },
            )
        except AwsError as exc:
            if exc.code != CONFLICT:
                raise

    def unlock(self, me: str | None) -> dict[str, Any] | None:
        """Release the lock (``me``: only if still ours; None: whoever holds it), in one call.
        What was released, or None."""
        extra: dict[str, Any] = {}
        if me is not None:
            extra = {
                "ConditionExpression": "holder = :me",
                "ExpressionAttributeValues": {":me": {"S": me}},
            }
        try:
            gone = self.aws.call(
                self.client,
                "delete_item",
                TableName=TABLE,
                Key={"pk": {"S": f"lock#{self.key}"}},
                ReturnValues="ALL_OLD",
                **extra,
            ).get("Attributes")
        except AwsError as exc:
            if exc.code not in (CONFLICT, "ResourceNotFoundException"):  # no table: no lock
                raise
            return None
        return {k: next(iter(v.values())) for k, v in gone.items()} if gone else None

    def check(self, plan_id: str, created_at: str, resume: bool) -> None:
        """Refuse what ``record`` would refuse, without writing (before the stale check, so
        a replayed plan is named as one even when AWS also changed since)."""
        last = self._get(f"applied#{self.key}")
        if last is None or (resume and last.get("plan_id") == plan_id):
            return
        if int(last.get("made", 0)) >= _epoch(created_at):
            self._refuse(plan_id, created_at, last)

    def _refuse(self, plan_id: str, created_at: str, last: dict[str, Any]) -> None:
        what = (
            "was applied already"
            if last.get("plan_id") == plan_id
            else f"was made {created_at}, before plan {last.get('plan_id')} (made "
            f"{last.get('created_at')}, applied {last.get('applied_at')})"
        )
        raise ApplyError(
            f"plan {plan_id} {what}: applying it would undo what later plans did",
            "Make a new plan with `orgstack plan -o plan.json`, review it, and apply that.",
        )

    def record(self, plan_id: str, created_at: str, resume: bool) -> None:
        """Record ``plan_id`` as the last applied plan, refusing one older than the last
        (or the last itself, once finished, unless resuming it)."""
        made = _epoch(created_at)
        condition = "attribute_not_exists(pk) OR made < :made"
        if resume:
            condition += " OR plan_id = :id"
        item = {
            "pk": {"S": f"applied#{self.key}"},
            "plan_id": {"S": plan_id},
            "made": {"N": str(made)},
            "created_at": {"S": created_at},
            "applied_at": {"S": _iso(int(time.time()))},
        }
        values = {":made": {"N": str(made)}, **({":id": {"S": plan_id}} if resume else {})}
        if not self._put(item, condition, values):
            self._refuse(plan_id, created_at, self._get(f"applied#{self.key}") or {})

    @contextmanager
    def held(self, plan_id: str) -> Iterator[None]:
        """The lock for the duration of a block, its lease extended by a heartbeat."""
        me = self.lock(plan_id)
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_S):
                try:
                    self.extend(me)
                except Exception:
                    continue

        thread = threading.Thread(target=beat, name="orgstack-lock", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
            self.unlock(me)


def _me() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()}"


def _dead_here(holder: str) -> bool:
    """Whether ``holder`` ran on this machine and its process is gone."""
    user_host, _, pid = holder.rpartition(" pid ")
    if not pid.isdigit() or user_host.rpartition("@")[2] != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _epoch(text: str) -> int:
    """Milliseconds since the epoch."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)
