"""A loopback reverse proxy that makes the sandbox behave like AWS under load.

It sits between orgstack and the moto server and adds, per request: latency; AWS-style
throttling per API family once a rate is exceeded (Organizations' per organization, every
other service's per account, as AWS does: it learns a member account's access keys from the
AssumeRole answers it forwards; the error each protocol uses:
``TooManyRequestsException``, ``Throttling``, ``RequestLimitExceeded``, ``SlowDown``);
asynchronous ``CreateAccount`` (IN_PROGRESS for a set time); injected 5xx,
``ConcurrentModificationException`` and connection resets. Injected faults never reach the
emulator, as on AWS, where a throttled request is not processed. It counts requests per
``service.Operation``.

A proxy rather than botocore hooks: it also serves the CLI running as a subprocess, and a hook
cannot keep moto from processing a request it "failed" (botocore runs every ``before-send``
handler).
"""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

JSON_SERVICES = {"organizations", "sso", "identitystore", "sso-admin", "servicequotas", "account"}
QUERY_SERVICES = {"sts", "iam"}
CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/")
ACCESS_KEY = re.compile(rb"<AccessKeyId>([^<]+)</AccessKeyId>")
#: Organizations calls that change state: the ones AWS may answer ConcurrentModificationException.
WRITES = re.compile(r"^(Create|Update|Delete|Attach|Detach|Move|Tag|Untag|Enable|Disable|Close)")
#: IAM calls that change state: AWS may answer ConcurrentModification (HTTP 409).
IAM_WRITES = re.compile(r"^(Create|Update|Delete|Attach|Detach|Put|Add|Remove|Tag|Untag)")


@dataclass
class FidelityConfig:
    """What the proxy adds; every share is a probability per request (seeded)."""

    latency_ms: float = 40.0
    rate: float | None = None  # requests per second per API family before throttling; None: off
    rates: dict[str, float] = field(default_factory=dict)
    throttle_share: float = 0.0  # throttle this share of requests regardless of rate
    error_share: float = 0.0  # answer HTTP 500
    conflict_share: float = 0.0  # writes: ConcurrentModificationException (IAM: ...Modification)
    reset_share: float = 0.0  # close the connection without an answer
    lost_share: float = 0.0  # forward the request, then close without the answer (it happened)
    create_account_s: float = 0.0  # how long a new account stays IN_PROGRESS
    seed: int = 0


class _Bucket:
    def __init__(self, rate: float) -> None:
        self.rate, self.tokens, self.stamp = rate, rate, time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


def _error(service: str, code: str, message: str, status: int) -> tuple[int, str, bytes]:
    """An error answer in the format of the service's protocol, as AWS sends it."""
    if service in JSON_SERVICES:
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, "application/x-amz-json-1.1", body
    if service == "ec2":
        error = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        return status, "text/xml", f"<Response><Errors>{error}</Errors></Response>".encode()
    if service == "s3":
        return (
            status,
            "application/xml",
            f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode(),
        )
    if service in QUERY_SERVICES:
        kind = "Receiver" if status >= 500 else "Sender"
        error = f"<Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        text = f"<ErrorResponse>{error}<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        return status, "text/xml", text.encode()
    return status, "application/json", json.dumps({"__type": code, "message": message}).encode()


def _throttle_error(service: str) -> tuple[int, str, bytes]:
    """The throttling answer each protocol uses."""
    if service == "organizations":
        return _error(service, "TooManyRequestsException", "Rate exceeded", 400)
    if service == "ec2":
        return _error(service, "RequestLimitExceeded", "Request limit exceeded.", 503)
    if service == "s3":
        return _error(service, "SlowDown", "Please reduce your request rate.", 503)
    if service in QUERY_SERVICES:
        return _error(service, "Throttling", "Rate exceeded", 400)
    return _error(
        service, "ThrottlingException", "Rate exceeded", 400 if service in JSON_SERVICES else 429
    )


class FidelityProxy:
    """Start with ``start()``; point clients at ``endpoint``; read ``counts`` and ``injected``."""

    def __init__(self, upstream: str, config: FidelityConfig) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.config = config
        self.counts: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self._random = random.Random(config.seed)
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self._created: dict[str, float] = {}  # CreateAccount request id → when it was made
        self._key_account: dict[str, str] = {}  # access key → account (from AssumeRole)
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                return None

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:
                proxy.handle(self)

            do_GET = do_PUT = do_DELETE = do_HEAD = do_POST  # noqa: N815

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that hangs up (killed, timed out) is normal here; anything else is not.
                import sys

                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FidelityProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.injected.clear()

    # --- one request ------------------------------------------------------------------------
    def _chance(self, share: float) -> bool:
        if share <= 0:
            return False
        with self._lock:
            return self._random.random() < share

    def _bucket(self, service: str, key: str) -> _Bucket | None:
        """The family's bucket: per account, except Organizations' (one per organization)."""
        rate = self.config.rates.get(service, self.config.rate)
        if rate is None:
            return None
        with self._lock:
            account = self._key_account.get(key) if service != "organizations" else None
            family = f"{service}@{account}" if account else service
            return self._buckets.setdefault(family, _Bucket(rate))

    def _learn_key(self, body: bytes, answer: bytes) -> None:
        """Which account an AssumeRole answer's access key belongs to."""
        arn = parse_qs(body.decode(errors="replace")).get("RoleArn", [""])[0]
        found = ACCESS_KEY.search(answer)
        if found and arn.count(":") >= 5:
            with self._lock:
                self._key_account[found.group(1).decode()] = arn.split(":")[4]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        found = CREDENTIAL.search(request.headers.get("Authorization", ""))
        if found is None:  # not an AWS call (orgstack's reachability probe): no fault, no count
            self._reply(request, *self._forward(request, body))
            return
        key, service = found.group(1), found.group(2)
        target = request.headers.get("X-Amz-Target", "")
        action = (
            target.rsplit(".", 1)[-1]
            if target
            else (parse_qs(body.decode(errors="replace")).get("Action", ["?"])[0])
        )
        operation = f"{service}.{action}"
        with self._lock:
            self.counts[operation] += 1
        time.sleep(self.config.latency_ms / 1000)
        bucket = self._bucket(service, key)
        if (bucket is not None and not bucket.take()) or self._chance(self.config.throttle_share):
            self._fault(request, "throttle", operation, *_throttle_error(service))
            return
        if self._chance(self.config.reset_share):
            with self._lock:
                self.injected["reset"] += 1
            request.close_connection = True
            request.connection.close()
            return
        if self._chance(self.config.error_share):
            code = "ServiceException" if service == "organizations" else "InternalFailure"
            self._fault(request, "5xx", operation, *_error(service, code, "injected", 500))
            return
        if (
            service == "organizations"
            and WRITES.match(action)
            and self._chance(self.config.conflict_share)
        ):
            error = _error(service, "ConcurrentModificationException", "injected", 400)
            self._fault(request, "conflict", operation, *error)
            return
        if (
            service == "iam"
            and IAM_WRITES.match(action)
            and self._chance(self.config.conflict_share)
        ):
            error = _error(service, "ConcurrentModification", "injected", 409)
            self._fault(request, "conflict", operation, *error)
            return
        status, headers, answer = self._forward(request, body)
        if service == "sts" and action == "AssumeRole" and status == 200:
            self._learn_key(body, answer)
        if self._chance(self.config.lost_share):
            with self._lock:
                self.injected["lost"] += 1
                self.injected[f"lost:{operation}"] += 1
            request.close_connection = True
            request.connection.close()
            return
        if service == "organizations" and self.config.create_account_s > 0:
            answer = self._async_creation(action, answer)
        self._reply(request, status, headers, answer)

    def _fault(
        self,
        request: BaseHTTPRequestHandler,
        kind: str,
        operation: str,
        status: int,
        ctype: str,
        body: bytes,
    ) -> None:
        with self._lock:
            self.injected[kind] += 1
            self.injected[f"{kind}:{operation}"] += 1
        self._reply(
            request, status, {"Content-Type": ctype, "x-amzn-RequestId": str(uuid.uuid4())}, body
        )

    def _forward(
        self, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        connection = getattr(self._local, "connection", None)
        for attempt in range(2):
            if connection is None:
                connection = http.client.HTTPConnection(
                    self.upstream_host, self.upstream_port, timeout=120
                )
                connection.connect()
                assert connection.sock is not None
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._local.connection = connection
            try:
                headers = {
                    k: v
                    for k, v in request.headers.items()
                    if k.lower() not in ("connection", "keep-alive")
                }
                connection.request(request.command, request.path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                connection = self._local.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _async_creation(self, action: str, answer: bytes) -> bytes:
        if action not in (
            "CreateAccount",
            "DescribeCreateAccountStatus",
            "ListCreateAccountStatus",
        ):
            return answer
        data = json.loads(answer or b"{}")
        statuses = (
            [data["CreateAccountStatus"]]
            if "CreateAccountStatus" in data
            else data.get("CreateAccountStatuses", [])
        )
        now = time.monotonic()
        for status in statuses:
            if status.get("State") != "SUCCEEDED":
                continue
            with self._lock:
                started = (
                    self._created.setdefault(status["Id"], now)
                    if action == "CreateAccount"
                    else self._created.get(status["Id"])
                )
            if started is not None and now - started < self.config.create_account_s:
                status["State"] = "IN_PROGRESS"
                status.pop("AccountId", None)
                status.pop("CompletedTimestamp", None)
        return json.dumps(data).encode()

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        request.send_response(status)
        for key, value in headers.items():
            if key.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "date",
                "server",
            ):
                request.send_header(key, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
        request.wfile.flush()
