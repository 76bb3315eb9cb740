"""The OU tree below the root (or one OU), walked as fast as it can be: each parent's children
and accounts are listed as soon as its parent's answer names it, each object's tags behind
every listing."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.pool import FILL, PriorityPool
from orgstack.kinds.organization.read_objects import account_from, read_tags
from orgstack.kinds.organization.vocabulary import TagSelector
from orgstack.model import Account, OrganizationalUnit, OrgModel, paths


class Tree:
    """The OU tree, read as fast as it can be: every parent's listing is submitted as soon as
    its parent's answer names it (no waiting for a whole level), and the tags of each object
    as soon as it is listed, behind every listing (the walk is the critical path; the tags
    fill the workers it leaves idle). Results are assembled in breadth-first order, as AWS
    lists them."""

    def __init__(
        self,
        context: AwsContext,
        client: Any,
        pool: PriorityPool,
        root_id: str,
        management_id: str,
        tags: TagSelector | None,
        path: str = "",
    ) -> None:
        """From the root, or (``path``) from that OU, whose id ``root_id`` then is."""
        self.context, self.client, self.pool = context, client, pool
        self.root_id, self.management_id, self.select = root_id, management_id, tags
        self.path = path
        self.ids = {root_id: f"ou:{path}" if path else "root"}  # live id → address
        self._children: dict[str, Future[list[dict[str, Any]]]] = {}
        self._members: dict[str, Future[list[dict[str, Any]]]] = {}
        self._tags: dict[str, Future[dict[str, str]]] = {}
        self._lock = threading.Lock()
        self._pending = 0
        self._done = threading.Event()
        self._failed: list[BaseException] = []
        if tags is not None and not path and tags(root_id, None):
            self._tags[root_id] = pool.submit_at(FILL, self._read_tags, root_id)
        self._list(root_id, path)

    def _listing(self, operation: str, key: str, parent_id: str) -> list[dict[str, Any]]:
        return list(self.context.pages(self.client, operation, key, ParentId=parent_id))

    def _list(self, parent_id: str, path: str) -> None:
        with self._lock:
            self._pending += 2
        children = self.pool.submit(
            self._listing, "list_organizational_units_for_parent", "OrganizationalUnits", parent_id
        )
        members = self.pool.submit(self._listing, "list_accounts_for_parent", "Accounts", parent_id)
        self._children[parent_id], self._members[parent_id] = children, members
        children.add_done_callback(lambda f: self._on_children(f, path))
        members.add_done_callback(lambda f: self._on_members(f, path))

    def _on_children(self, future: Future[list[dict[str, Any]]], path: str) -> None:
        try:
            for item in future.result():
                ou = OrganizationalUnit(paths.join(path, item["Name"]), id=item["Id"])
                self._tag(item["Id"], ou)
                self._list(item["Id"], ou.path)
        except BaseException as exc:  # raised again by wait()
            self._failed.append(exc)
        self._finish()

    def _on_members(self, future: Future[list[dict[str, Any]]], path: str) -> None:
        try:
            for item in future.result():
                self._tag(item["Id"], account_from(item, path or "root", self.management_id))
        except BaseException as exc:  # raised again by wait()
            self._failed.append(exc)
        self._finish()

    def _tag(self, object_id: str, obj: OrganizationalUnit | Account) -> None:
        if self.select is not None and self.select(object_id, obj):
            with self._lock:
                self._tags[object_id] = self.pool.submit_at(FILL, self._read_tags, object_id)

    def _finish(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self._done.set()

    def _read_tags(self, resource_id: str) -> dict[str, str]:
        return read_tags(self.context, self.client, resource_id)

    def wait(self) -> tuple[list[OrganizationalUnit], list[Account]]:
        """Every OU and account, breadth first (each level in AWS's listing order)."""
        self._done.wait()
        if self._failed:
            raise self._failed[0]
        ous: list[OrganizationalUnit] = []
        accounts: list[Account] = []
        level = [(self.root_id, self.path)]
        while level:
            next_level = []
            for parent_id, path in level:
                for item in self._members[parent_id].result():
                    accounts.append(account_from(item, path or "root", self.management_id))
                    self.ids[item["Id"]] = f"account:{item['Name']}"
            for parent_id, path in level:
                for item in self._children[parent_id].result():
                    child = paths.join(path, item["Name"])
                    ous.append(OrganizationalUnit(child, id=item["Id"]))
                    self.ids[item["Id"]] = f"ou:{child}"
                    next_level.append((item["Id"], child))
            level = next_level
        return ous, accounts

    def tagged(self, model: OrgModel) -> OrgModel:
        """``model`` with the tags read (objects not selected keep none)."""
        if self.select is None:
            return model
        found = {object_id: future.result() for object_id, future in self._tags.items()}
        organization = model.organization
        if self.root_id in found:
            organization = replace(organization, root_tags=found[self.root_id])
        return replace(
            model,
            organization=organization,
            ous=tuple(replace(o, tags=found[o.id]) if o.id in found else o for o in model.ous),
            accounts=tuple(
                replace(a, tags=found[a.id]) if a.id in found else a for a in model.accounts
            ),
        )
