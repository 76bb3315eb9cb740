"""One AWS context per run: session, clients, shared rate limiter, retries and statistics."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from orgstack.aws.errors import THROTTLED, AwsError, CallTooSlowError, translate
from orgstack.aws.ratelimit import SANDBOX_RATE, RateLimiter
from orgstack.aws.stats import CallStats

#: Organizations is a global service served from us-east-1.
ORGANIZATIONS_REGION = "us-east-1"
MAX_ATTEMPTS = 10
#: Per attempt: a connection that cannot be made in 5 s, or an answer that does not come in
#: 60 s (AWS answers in well under a second; a large GetAccountAuthorizationDetails page in a
#: few), is retried by botocore.
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 30
#: One call, every retry included, is given up after this (botocore alone would retry a
#: silent endpoint 10 times 60 s: ten minutes of nothing per call).
CALL_BUDGET_S = 180.0
#: A call running longer than this is reported (``on_slow``), then every as many seconds.
SLOW_S = 15.0
#: An endpoint set by hand (a proxy, the sandbox, AWS_ENDPOINT_URL) must accept a connection
#: and answer within this, or orgstack says so before any work.
PROBE_TIMEOUT_S = 3.0


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (AWS sends seconds; a date is ignored)."""
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def probe(endpoint: str, source: str) -> None:
    """Fail at once, saying where the endpoint came from, when nothing answers there: a
    refused connection took 23 s of botocore retries to report, and a server that accepts and
    never answers hung."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connection_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(host, port, timeout=PROBE_TIMEOUT_S)
    try:
        connection.request("GET", "/")
        connection.getresponse().read(1024)
    except TimeoutError:
        raise AwsError(
            f"AWS at {endpoint} (set by {source}) accepted the connection but did not answer "
            f"within {PROBE_TIMEOUT_S:g} s",
            "Is the emulator or proxy frozen? `orgstack sandbox reset` restarts the sandbox; "
            "otherwise unset AWS_ENDPOINT_URL to reach AWS itself.",
        ) from None
    except OSError as exc:
        raise AwsError(
            f"cannot reach AWS at {endpoint} (set by {source}): {exc.strerror or exc}",
            "Start it (`orgstack sandbox start`), fix the address, or unset AWS_ENDPOINT_URL "
            "to reach AWS itself.",
        ) from None
    finally:
        connection.close()


@dataclass(frozen=True)
class AwsOptions:
    """How to reach AWS: the standard chain, or a profile, Region, endpoint or the sandbox."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    sandbox: bool = False
    max_workers: int = 8
    #: Ceilings per service (requests/s); ``rate`` is one for every family (``--rate``).
    rates: dict[str, float] = field(default_factory=dict)
    rate: float | None = None
    #: False: every family runs at its ceiling, not adapted (tests against a local emulator).
    adaptive: bool = True
    #: A file where the rates learned are kept for the next run (per profile: one account).
    remember: str | None = None


class AwsContext:
    """Clients that share one rate limiter and one set of call statistics."""

    def __init__(self, options: AwsOptions) -> None:
        self.options = options
        fixed = SANDBOX_RATE if options.sandbox else None if options.adaptive else float("inf")
        self.limiter = RateLimiter(
            options.rates,
            ceiling=options.rate,
            start=self._learned_before() if fixed is None else None,
            fixed=fixed,
        )
        self.stats = CallStats()
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._caller: str | None = None
        #: Calls in flight: id → (operation, started); listeners told of slow ones.
        self._inflight: dict[int, tuple[str, float]] = {}
        self._slow: list[Callable[[str, float], None]] = []
        self._watch: threading.Thread | None = None
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
        source = "--sandbox" if options.sandbox else "the endpoint option"
        if endpoint is None and os.environ.get("AWS_ENDPOINT_URL"):
            endpoint, source = os.environ["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"
        if endpoint:
            probe(endpoint, source)
        self.config = Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            # Standard retries (backoff, retry quota); the rate itself is adapted by the limiter,
            # per family across every client, instead of botocore's per client.
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
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

    def make_client(
        self, session: Any, service: str, region: str | None = None, family: str | None = None
    ) -> Any:
        """A client of ``session`` (e.g. a member account's) sharing this context's endpoint,
        retries, rate limiter and statistics; its calls count against ``family``'s rate
        (default: the service's)."""
        region = region or self.session.region_name or ORGANIZATIONS_REGION
        client = session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
        )
        self._hook(client, service, family or service)
        return client

    def client_with(self, credentials: Any, service: str, region: str | None, family: str) -> Any:
        """A client with ``credentials`` (botocore's frozen ones), built from this context's
        session: no session per member account (its built-in handlers alone cost ~6 ms of CPU
        and 140 KB per account). Made under a lock: botocore sessions are not thread-safe."""
        region = region or self.session.region_name or ORGANIZATIONS_REGION
        with self._lock:
            client = self.session._session.create_client(
                service,
                region_name=region,
                endpoint_url=self.endpoint_url,
                config=self.config,
                aws_access_key_id=credentials.access_key,
                aws_secret_access_key=credentials.secret_key,
                aws_session_token=credentials.token,
            )
        self._hook(client, service, family)
        return client

    def on_slow(self, listener: Callable[[str, float], None]) -> None:
        """Tell ``listener`` (operation, seconds) of every call running longer than
        ``SLOW_S``, every ``SLOW_S`` while it runs (so a slow endpoint is never silent)."""
        with self._lock:
            self._slow.append(listener)
            if self._watch is None:
                self._watch = threading.Thread(target=self._watching, daemon=True)
                self._watch.start()

    def _watching(self) -> None:
        while True:
            time.sleep(SLOW_S / 3)
            now = time.monotonic()
            with self._lock:
                slow = [(op, now - t) for op, t in self._inflight.values() if now - t >= SLOW_S]
                listeners = list(self._slow)
            for operation, seconds in slow:
                if int(seconds // (SLOW_S / 3)) % 3 == 0:  # every SLOW_S, not every tick
                    for listener in listeners:
                        listener(operation, seconds)

    def _hook(self, client: Any, service: str, family: str) -> None:
        rate = self.limiter.family(family)

        def before_call(model: Any, context: Any = None, **_: Any) -> None:
            self.stats.call(f"{service}.{model.name}")
            if isinstance(context, dict):
                started = time.monotonic()
                context["orgstack_started"] = started
                with self._lock:
                    self._inflight[id(context)] = (f"{service}.{model.name}", started)

        def after_call(context: Any = None, **_: Any) -> None:
            with self._lock:
                self._inflight.pop(id(context), None)

        def request_created(request: Any = None, operation_name: str = "", **_: Any) -> None:
            context = getattr(request, "context", None) or {}
            started = context.get("orgstack_started")
            attempts = context.setdefault("orgstack_attempts", 0) + 1
            context["orgstack_attempts"] = attempts
            if started is not None and time.monotonic() - started > CALL_BUDGET_S:
                raise CallTooSlowError(
                    operation=f"{service}.{operation_name}",
                    seconds=time.monotonic() - started,
                    attempts=attempts - 1,
                )

        def before_send(event_name: str, **_: Any) -> None:
            waited = rate.acquire()
            self.stats.attempt(f"{service}.{event_name.rsplit('.', 1)[-1]}", waited)

        def needs_retry(response: Any = None, **_: Any) -> None:
            if response is None:  # no answer (a connection fault): says nothing of the rate
                return
            http, parsed = response
            code = parsed.get("Error", {}).get("Code", "") if isinstance(parsed, dict) else ""
            if code in THROTTLED or http.status_code == 429:
                rate.throttled(_retry_after(http.headers.get("retry-after")))
            elif http.status_code < 400:
                rate.success()

        client.meta.events.register("before-call.*.*", before_call)
        client.meta.events.register("after-call.*.*", after_call)
        client.meta.events.register("after-call-error.*.*", after_call)
        client.meta.events.register("request-created.*.*", request_created)
        client.meta.events.register("before-send.*.*", before_send)
        client.meta.events.register("needs-retry.*.*", needs_retry)

    def report(self) -> str:
        """The calls per operation, the totals, and the rate each API family reached."""
        return "\n".join([self.stats.report(), *self.limiter.report()])

    def _learned_before(self) -> dict[str, float]:
        from orgstack.aws.learned import recall

        return recall(self.options.remember, self.options.profile)

    def remember_rates(self) -> None:
        """Keep what this run learned for the next one (with ``remember``)."""
        from orgstack.aws.learned import keep

        keep(self.options.remember, self.options.profile, self.limiter.learned())

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
            for page in self.paginator(client, operation).paginate(**kwargs):
                yield from page.get(key, [])
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            raise translate(exc, operation) from None

    def paginator(self, client: Any, operation: str) -> Any:
        """``client``'s paginator of ``operation``, made once (making one costs a fifth of a
        small call) and kept on the client, so it goes with the client (member-account
        clients are evicted from a bounded cache: a table here would keep every one alive)."""
        with self._lock:
            known = client.__dict__.setdefault("_orgstack_paginators", {})
            found = known.get(operation)
        if found is None:
            found = client.get_paginator(operation)
            with self._lock:
                known[operation] = found
        return found

    def page_list(self, client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Every page of ``operation`` (for answers with several lists per page)."""
        try:
            return list(self.paginator(client, operation).paginate(**kwargs))
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
