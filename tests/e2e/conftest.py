"""End-to-end tests: one local cloud (emulator + functions process + demo store) for the whole session.

The cloud listens on two free loopback ports picked here, never on `make run`'s 4566/3000, and is
stopped at the end of the session - also when a test or the start-up fails.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest

from localcloud import run
from localcloud.clients import aws_clients
from localcloud.intrinsics import Resolver
from localcloud.seed import load_demo
from localcloud.template import local_parameters, transformed

# The browser fixtures, defined once for the folder: one Chromium per worker (a second Playwright in one thread fails).
from tests.e2e.browser import chromium, page, phone_page  # noqa: F401

LOOPBACK = "127.0.0.1"
DEMO_STORE = "mystmereforge"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]  # names lowercased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http_request(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
    *,
    source: str | None = None,
) -> Response:
    """One HTTP request to a loopback URL; any status is returned, none raises.

    `source` is the loopback address the request comes from (127.0.0.0/8 is all local), so tests can be
    distinct clients to the gateway's per-IP limits.
    """
    parts = urlsplit(url)
    assert parts.hostname == LOOPBACK, f"e2e traffic must stay on {LOOPBACK}: {url}"
    assert source is None or source.startswith("127."), source
    bind = None if source is None else (source, 0)
    connection = http.client.HTTPConnection(LOOPBACK, parts.port, timeout=timeout, source_address=bind)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target or "/", body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def eventually(probe: Callable[[], T], accept: Callable[[T], bool], timeout: float = 10, interval: float = 0.2) -> T:
    """Poll `probe` until `accept` holds for its value; the last value when the time is up (assert on it)."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not accept(value) and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


@dataclass
class LocalCloud:
    api_url: str
    emulator_url: str
    client: Callable[[str], Any]  # boto3 client factory against the emulator
    processes: list[subprocess.Popen[bytes]]  # emulator, functions (+ replacements); all stopped at the end
    env: dict[str, str]  # the environment the processes were started with
    names: dict[str, str]  # template logical id -> physical name in the emulator
    demo: dict[str, Any] = field(default_factory=load_demo)

    @property
    def websocket_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.env['NOZZLY_WS_PORT']}/live"

    @property
    def emulator_port(self) -> int:
        port = urlsplit(self.emulator_url).port
        assert port is not None
        return port

    def api(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
        return http_request(self.api_url + path, method, headers)

    @staticmethod
    def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
        return http_request(url, method, headers)

    @staticmethod
    def eventually(probe: Callable[[], T], accept: Callable[[T], bool], timeout: float = 10) -> T:
        return eventually(probe, accept, timeout)

    def get_json(self, path: str, timeout: float = 30) -> Any:
        response = http_request(self.api_url + path, timeout=timeout)
        assert response.status == 200, (path, response.status, response.body[:500])
        return response.json()

    def published_products(self) -> list[dict[str, Any]]:
        return [p for p in self.demo["products"] if p.get("status", "published") == "published"]

    def expected_counts(self) -> dict[str, int]:
        counts = {c["slug"]: 0 for c in self.demo["categories"]}
        for product in self.published_products():
            counts[product["category"]] += 1
        return counts

    def category_counts(self) -> dict[str, int]:
        items = self.get_json(f"/stores/{DEMO_STORE}/categories")["items"]
        return {c["slug"]: c["product_count"] for c in items}


def free_loopback_ports(count: int) -> list[int]:
    """Ports the kernel hands out now; all sockets are held until every port is chosen, so they differ."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind((LOOPBACK, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@contextmanager
def started_cloud(settings: dict[str, str] | None = None) -> Iterator[LocalCloud]:
    """A seeded local cloud on free ports, with extra environment `settings` (e.g. NOZZLY_PUBLIC_RATE_LIMITS)."""
    emulator_port, api_port, stripe_port, square_port, ws_port, bedrock_port, reddit_port = free_loopback_ports(7)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NOZZLY_EMULATOR_PORT", str(emulator_port))
        env.setenv("NOZZLY_API_PORT", str(api_port))
        env.setenv("NOZZLY_STRIPE_PORT", str(stripe_port))  # the payment peers (localcloud/payments)
        env.setenv("NOZZLY_SQUARE_PORT", str(square_port))
        env.setenv("NOZZLY_WS_PORT", str(ws_port))  # the WebSocket API (localcloud/websocket.py)
        env.setenv("NOZZLY_TIMEOUT_SCALE", "3")  # a shared 2-core machine, not Lambda's CPU (localcloud/template.py)
        env.setenv("NOZZLY_PERSIST", "0")  # tests start clean and leave nothing behind (localcloud/persistence.py)
        env.delenv("NOZZLY_STATE_DIR", raising=False)
        for key, value in (settings or {}).items():
            env.setenv(key, value)
        env.setenv("NOZZLY_BEDROCK_PORT", str(bedrock_port))  # the Bedrock runtime peer (localcloud/bedrock_peer.py)
        env.setenv("NOZZLY_REDDIT_PORT", str(reddit_port))  # the Reddit API peer (localcloud/reddit_peer.py)
        # Nothing may point the local cloud's own clients anywhere else.
        for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.delenv(key, raising=False)
        # The functions process transforms the template with these ports and settings (this process imported its
        # parameters before they were set): done here first, its start finds the transform cached and answers
        # within run.wait_for's 60 s on a loaded machine too.
        warm = "from localcloud.template import LOCAL_PARAMETERS, transformed; transformed(parameters=LOCAL_PARAMETERS)"
        subprocess.run([sys.executable, "-c", warm], check=True, env=dict(os.environ))
        processes, _summary = run.start(seed=True)  # stops what it started if it fails
        try:
            emulator_url = f"http://{LOOPBACK}:{emulator_port}"
            cloud = LocalCloud(
                api_url=f"http://{LOOPBACK}:{api_port}",
                emulator_url=emulator_url,
                client=aws_clients(emulator_url),
                processes=processes,
                env=dict(os.environ) | {"PYTHONUNBUFFERED": "1"},
                names=Resolver(transformed(parameters=local_parameters()), dict(local_parameters())).names,
            )
            yield cloud
        finally:
            run.stop(processes)  # the same list a test appends a restarted functions process to


# The suite's tests call public routes from one address far more than 100 times a minute; the per-IP limits are
# proven by tests/e2e/test_edge.py on a cloud of its own with a low limit.
SUITE_RATE_LIMITS = '{"default": 1000000, "payment-webhooks": 0}'


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalCloud]:
    with started_cloud({"NOZZLY_PUBLIC_RATE_LIMITS": SUITE_RATE_LIMITS}) as cloud:
        yield cloud


@pytest.fixture(scope="module")
def supplier() -> Iterator[str]:
    """A supplier's product feed on a loopback port of its own (localcloud/supplier_peer.py), for import tests."""
    from localcloud import supplier_peer

    server = supplier_peer.serve_in_thread()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
