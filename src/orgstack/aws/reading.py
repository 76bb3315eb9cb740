"""The context a kind's reader gets: read-only clients in any account, the shared limiter,
retries and statistics; it cannot hand out a client that writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.aws.context import AwsContext
from orgstack.aws.members import AccountClients


class ReadContext:
    """Read-only clients: the management account's (``client``) and any account's
    (``member``), plus the calls that turn AWS faults into clear errors."""

    def __init__(self, aws: AwsContext, clients: AccountClients) -> None:
        self._aws = aws
        self._clients = clients if clients.read_only else clients.reading()

    @property
    def home(self) -> str:
        """The account orgstack runs in."""
        return self._clients.home

    @property
    def max_workers(self) -> int:
        return self._aws.options.max_workers

    def client(self, service: str, region: str | None = None) -> Any:
        return self._clients.client(self.home, service, region)

    def member(self, account_id: str, service: str = "iam", region: str | None = None) -> Any:
        return self._clients.client(account_id, service, region)

    def call(self, client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self._aws.call(client, operation, **kwargs)

    def pages(self, client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        return self._aws.pages(client, operation, key, **kwargs)

    def page_list(self, client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        return self._aws.page_list(client, operation, **kwargs)
