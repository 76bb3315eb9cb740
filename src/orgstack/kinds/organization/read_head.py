"""What every request shape reads first: the organization, its root, trusted access and the
delegated administrators (with their names)."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.pool import PriorityPool
from orgstack.kinds.organization.read_objects import (
    delegated_admins_named,
    organization_from,
    read_service_access,
)
from orgstack.model import Organization

Admins = tuple[tuple[tuple[str, str], ...], dict[str, str]]


class Head:
    """The organization (DescribeOrganization's answer) and the reads every shape needs,
    started by ``start`` so a shape may queue its own first."""

    def __init__(self, context: AwsContext, client: Any, pool: PriorityPool, org: dict[str, Any]):
        self.context, self.client, self.pool, self.org = context, client, pool, org
        self.management_id: str = org["MasterAccountId"]
        self._access: Future[tuple[str, ...]] | None = None
        self._admins: Future[Admins] | None = None
        self._root: dict[str, Any] | None = None

    def start(self) -> None:
        """Queue trusted access and the delegated administrators."""
        if self._access is None:
            self._access = self.pool.submit(read_service_access, self.context, self.client)
            self._admins = self.pool.submit(delegated_admins_named, self.context, self.client)

    def root(self) -> dict[str, Any]:
        """The root (ListRoots, once)."""
        if self._root is None:
            self._root = next(self.context.pages(self.client, "list_roots", "Roots"))
        return self._root

    def admin_names(self) -> dict[str, str]:
        """Each delegated administrator's name by account id."""
        self.start()
        assert self._admins is not None
        return self._admins.result()[1]

    def organization(self) -> Organization:
        """The organization as AWS describes it, once trusted access and the delegated
        administrators are read."""
        self.start()
        assert self._access is not None
        assert self._admins is not None
        return organization_from(
            self.org, self.root(), self._access.result(), self._admins.result()[0]
        )
