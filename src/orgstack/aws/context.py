"""One AWS context per run: session, clients, shared rate limiter, retries and statistics."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from orgstack.aws.errors import translate
from orgstack.aws.ratelimit import SANDBOX_RATE, RateLimiter
from orgstack.aws.stats import CallStats

#: Organizations is a global service served from us-east-1.
ORGANIZATIONS_REGION = "us-east-1"
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class AwsOptions:
    """How to reach AWS: the standard chain, or a profile, Region, endpoint or the sandbox."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    sandbox: bool = False
    max_workers: int = 8
    rates: dict[str, float] = field(default_factory=dict)


class AwsContext:
    """Clients that share one rate limiter and one set of call statistics."""

    def __init__(self, options: AwsOptions) -> None:
        self.options = options
        self.limiter = (
            RateLimiter(options.rates, default=SANDBOX_RATE)
            if options.sandbox
            else RateLimiter(options.rates)
        )
        self.stats = CallStats()
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._caller: str | None = None
        endpoint, env = options.endpoint_url, {}
        if options.sandbox:
            from orgstack.sandbox.state import running_state

            env = running_state().env()
            endpoint = env["AWS_ENDPOINT_URL"]
            self.session = boto3.Session(
                aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                region_name=env["AWS_DEFAULT_REGION"],
            )
        else:
            try:
                self.session = boto3.Session(
                    profile_name=options.profile, region_name=options.region
                )
            except BotoCoreError as exc:
                raise translate(exc) from None
        self.endpoint_url = endpoint
        self.config = Config(
            retries={"mode": "adaptive", "max_attempts": MAX_ATTEMPTS},
            max_pool_connections=max(10, options.max_workers * 2),
            user_agent_extra="orgstack",
        )

    def region_for(self, service: str, region: str | None = None) -> str:
        """The Region a client of ``service`` talks to (Organizations: us-east-1)."""
        region = region or (ORGANIZATIONS_REGION if service == "organizations" else None)
        return region or self.session.region_name or ORGANIZATIONS_REGION

    def client(self, service: str, region: str | None = None) -> Any:
        """A shared client for ``service`` with the limiter and counters hooked in."""
        region = self.region_for(service, region)
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self.make_client(self.session, service, region)
            return self._clients[key]

    def make_client(self, session: Any, service: str, region: str | None = None) -> Any:
        """A client of ``session`` (e.g. a member account's) sharing this context's endpoint,
        retries, rate limiter and statistics."""
        region = region or self.session.region_name or ORGANIZATIONS_REGION
        client = session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
        )
        self._hook(client, service)
        return client

    def _hook(self, client: Any, family: str) -> None:
        def before_call(model: Any, **_: Any) -> None:
            self.stats.call(f"{family}.{model.name}")

        def before_send(event_name: str, **_: Any) -> None:
            waited = self.limiter.acquire(family)
            self.stats.attempt(f"{family}.{event_name.rsplit('.', 1)[-1]}", waited)

        client.meta.events.register("before-call.*.*", before_call)
        client.meta.events.register("before-send.*.*", before_send)

    def call(self, client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
        """Call ``operation``; faults become OrgstackErrors with what to do next."""
        try:
            result: dict[str, Any] = getattr(client, operation)(**kwargs)
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            raise translate(exc, operation) from None
        return result

    def pages(self, client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        """Every item under ``key`` of every page of ``operation``."""
        try:
            for page in client.get_paginator(operation).paginate(**kwargs):
                yield from page.get(key, [])
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            raise translate(exc, operation) from None

    def page_list(self, client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Every page of ``operation`` (for answers with several lists per page)."""
        try:
            return list(client.get_paginator(operation).paginate(**kwargs))
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            raise translate(exc, operation) from None

    def caller_account(self) -> str:
        """The account of the credentials, asked of STS once per context."""
        with self._lock:
            known = self._caller
        if known is None:
            known = str(self.call(self.client("sts"), "get_caller_identity")["Account"])
            with self._lock:
                self._caller = known
        return known
