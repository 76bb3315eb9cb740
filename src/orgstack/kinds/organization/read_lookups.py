"""Reads of single objects, for the request shapes that do not walk the whole tree: an OU by
its path (one listing per level, each listing read once), an account, OU or policy by its id,
and the paths of OUs known only by id (their names and parents, level by level, each OU
once)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError
from orgstack.aws.pool import PriorityPool
from orgstack.kinds.organization.read_objects import parent_of, read_tags
from orgstack.model import OrganizationalUnit, paths

T = TypeVar("T")
#: AWS's answer when the object is gone (deleted, closed and removed, left the organization).
GONE = frozenset(
    {
        "AccountNotFoundException",
        "OrganizationalUnitNotFoundException",
        "PolicyNotFoundException",
        "TargetNotFoundException",
        "ChildNotFoundException",
    }
)
Found = tuple[dict[str, Any], str, dict[str, str]]  # an account: item, parent id, tags


class Lookups:
    """Single-object reads sharing what they learn: each parent's OU listing and each OU's
    name and parent are read at most once."""

    def __init__(self, context: AwsContext, client: Any, pool: PriorityPool, root: str) -> None:
        self.context, self.client, self.pool, self.root = context, client, pool, root
        self._children: dict[str, list[dict[str, Any]]] = {}
        self._ou_names: dict[str, tuple[str, str]] = {}  # OU id → (name, parent id)
        self._paths = {root: "root"}
        self._gone: set[str] = set()
        self._lock = threading.Lock()

    def pages(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        return list(self.context.pages(self.client, operation, key, **kwargs))

    @staticmethod
    def unless_gone(call: Callable[[], T]) -> T | None:
        """``call()``, or None when AWS answers that the object is gone."""
        try:
            return call()
        except AwsError as exc:
            if exc.code in GONE:
                return None
            raise

    def parent(self, child_id: str) -> str:
        return parent_of(self.context, self.client, child_id)

    def tags(self, resource_id: str) -> dict[str, str]:
        return read_tags(self.context, self.client, resource_id)

    def children(self, parent_id: str) -> list[dict[str, Any]]:
        """The OUs directly below a parent (listed once)."""
        with self._lock:
            known = self._children.get(parent_id)
        if known is None:
            known = self.pages(
                "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id
            )
            with self._lock:
                self._children[parent_id] = known
        return known

    def walk(self, path: str) -> list[OrganizationalUnit]:
        """The OUs from the root down to ``path`` that exist (one listing per level)."""
        found: list[OrganizationalUnit] = []
        parent, here = self.root, ""
        for name in paths.names(path) if path not in ("", "root") else []:
            item = next((c for c in self.children(parent) if c["Name"] == name), None)
            if item is None:
                break
            here = paths.join(here, name)
            found.append(OrganizationalUnit(here, id=item["Id"]))
            self.known(item["Id"], name, parent)
            parent = item["Id"]
        return found

    def ou_at(self, path: str) -> str | None:
        """The id of the OU at ``path``, when there is one."""
        found = self.walk(path)
        return found[-1].id if len(found) == len(paths.names(path)) and found else None

    def account(self, account_id: str, tagged: bool) -> Found | None:
        """An account (DescribeAccount), its parent's id and (``tagged``) its tags; None when
        it is not in the organization."""

        def read() -> Found:
            item = self.context.call(self.client, "describe_account", AccountId=account_id)
            tags = self.tags(account_id) if tagged else {}
            return item["Account"], self.parent(account_id), tags

        return self.unless_gone(read)

    def ou(self, ou_id: str, tagged: bool) -> tuple[str, str, dict[str, str]] | None:
        """An OU's name, parent id and (``tagged``) tags; None when it is gone."""

        def read() -> tuple[str, str, dict[str, str]]:
            name = self.context.call(
                self.client, "describe_organizational_unit", OrganizationalUnitId=ou_id
            )["OrganizationalUnit"]["Name"]
            return str(name), self.parent(ou_id), self.tags(ou_id) if tagged else {}

        found = self.unless_gone(read)
        if found is not None:
            self.known(ou_id, found[0], found[1])
        return found

    def policy(self, policy_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """A policy (DescribePolicy) and its targets; None when it is gone."""

        def read() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            item = self.context.call(self.client, "describe_policy", PolicyId=policy_id)
            return item["Policy"], self.targets(policy_id)

        return self.unless_gone(read)

    def targets(self, policy_id: str) -> list[dict[str, Any]]:
        return self.pages("list_targets_for_policy", "Targets", PolicyId=policy_id)

    def known(self, ou_id: str, name: str, parent: str) -> None:
        with self._lock:
            self._ou_names[ou_id] = (name, parent)

    def resolve(self, ou_ids: Iterable[str]) -> None:
        """Learn the path of every OU in ``ou_ids`` (the OUs above them, level by level, in
        parallel)."""
        todo = {i for i in ou_ids if not self._learned(i)}
        while todo:
            found = dict(zip(todo, self.pool.map(lambda i: self.ou(i, False), todo), strict=True))
            todo = set()
            for ou_id, item in found.items():
                if item is None:
                    self._gone.add(ou_id)  # deleted (a policy's stale target): not in the tree
                elif not self._learned(item[1]):
                    todo.add(item[1])

    def _learned(self, ou_id: str) -> bool:
        return ou_id in self._paths or ou_id in self._ou_names or ou_id in self._gone

    def exists(self, ou_id: str) -> bool:
        """Whether the OU (or the root) is in the tree, after ``resolve``."""
        return ou_id not in self._gone

    def path(self, ou_id: str) -> str:
        """An OU's path (``root`` for the root), after ``resolve``."""
        if ou_id not in self._paths:
            name, parent = self._ou_names[ou_id]
            above = self.path(parent)
            self._paths[ou_id] = paths.join("" if above == "root" else above, name)
        return self._paths[ou_id]

    def path_of(self, ou_id: str) -> str:
        """An OU's path, read when not known yet."""
        self.resolve([ou_id])
        return self.path(ou_id)
