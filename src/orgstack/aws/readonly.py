"""Readers cannot write: clients that refuse every operation but reads, and the context that
hands them to the kinds' readers.

The guard is a botocore ``before-parameter-build`` hook (the first event of a call), so it
holds in production, not only in tests: a reader that calls ``CreateRole`` fails before
anything is sent.
"""

from __future__ import annotations

from typing import Any

from orgstack.errors import OrgstackError

#: Operations a reader may call: their names start with one of these.
READ_PREFIXES = ("Describe", "List", "Get")
#: Read-only operations whose names do not say so.
READ_EXCEPTIONS = frozenset(
    {"AssumeRole", "SearchResources", "BatchGetAccountStatus", "SearchTransitGatewayRoutes"}
)


class WriteRefusedError(OrgstackError):
    """A reader tried an operation that is not a read (a bug in orgstack)."""


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES) or operation in READ_EXCEPTIONS


def guard_reads(client: Any) -> None:
    """Make ``client`` refuse, before sending, every operation that is not a read."""

    def refuse(model: Any, **_: Any) -> None:
        if not is_read(model.name):
            raise WriteRefusedError(
                f"a reader called {model.service_model.service_name}:{model.name}, which is "
                "not a read; readers may only Describe, List and Get",
                "This is a bug in orgstack; please report it with the command you ran.",
            )

    client.meta.events.register_first("before-parameter-build.*.*", refuse)
