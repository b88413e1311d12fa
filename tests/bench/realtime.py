"""Section 8: one event fanned out to 1,000 WebSocket connections through the local @connections API
(localcloud/websocket.py) with the notifier's poster (realtime/adapters/management_api.py: boto3's
apigatewaymanagementapi client, thread pool, batches). No local cloud and no table: the room's members are
given, so the figure is the posting alone (the room's Query is one more paginated read)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
from collections.abc import Callable

import aiohttp
from aiohttp import web

from localcloud.ports import management_endpoint
from localcloud.websocket import SocketApi, SocketServer
from tests.bench.catalog import LAYER
from tests.bench.report import heading, ms, table

CONNECTIONS = 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Clients:
    """1,000 real WebSocket clients on their own event loop, each noting when its first message arrives."""

    def __init__(self, url: str, count: int) -> None:
        self.url, self.count = url, count
        self.received: list[float] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.done = threading.Event()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _one(self, session: aiohttp.ClientSession, connected: list[int]) -> None:
        async with session.ws_connect(self.url) as ws:
            connected.append(1)
            if len(connected) == self.count:
                self.ready.set()
            await ws.receive(timeout=120)
            self.received.append(time.perf_counter())
            if len(self.received) == self.count:
                self.done.set()

    async def _all(self) -> None:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            connected: list[int] = []
            await asyncio.gather(*(self._one(session, connected) for _ in range(self.count)), return_exceptions=True)

    def start(self) -> None:
        asyncio.run_coroutine_threadsafe(self._all(), self.loop)


class _CountingServer(SocketServer):
    """Counts the management API calls it answers."""

    posts = 0

    async def post(self, request: web.Request) -> web.Response:
        self.posts += 1
        return await super().post(request)


def measure(progress: Callable[[str], None], count: int = CONNECTIONS) -> tuple[list[str], list[str]]:
    if LAYER not in sys.path:
        sys.path.insert(0, LAYER)
    from nozzly.realtime.adapters.management_api import ManagementApi

    progress(f"WebSocket fan-out to {count:,} connections")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)
    port = _free_port()
    api = SocketApi("bench", "live", {}, frozenset(), None, None)
    server = _CountingServer(api, "http://unused", port)
    clients = _Clients(server.start_in_thread(), count)
    clients.start()
    if not clients.ready.wait(120):
        raise RuntimeError("the bench's clients did not all connect")
    time.sleep(0.5)  # the server registers a socket just after the handshake
    poster = ManagementApi(management_endpoint(port))
    began = time.perf_counter()
    result = poster.post_many(list(server.connections), b'{"type":"OrderPlaced","v":1}')
    posted = time.perf_counter()
    clients.done.wait(30)
    last = max(clients.received, default=posted)
    posts = server.posts
    rows = [
        [
            f"{count:,}",
            str(posts),
            str(result.delivered),
            str(len(clients.received)),
            ms((posted - began) * 1000),
            ms((last - began) * 1000),
        ]
    ]
    section = [
        heading(f"8. WebSocket fan-out of one event (local @connections, {count:,} connections)"),
        *table(["connections", "API calls", "posted ok", "received", "all posts (ms)", "last delivery (ms)"], rows),
    ]
    summary = [
        f"fan-out to {count:,} sockets: last delivery {ms((last - began) * 1000)} ms, {posts} @connections calls"
    ]
    return section, summary
