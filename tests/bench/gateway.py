"""Section 6: the local gateway's own cost per keep-alive request, with Nagle's algorithm as configured and on.

Browsers and test clients reuse connections. The gateway writes a response's headers and body separately, so
with Nagle's algorithm on, the body waits for the client's delayed ACK (about 40 ms on Linux) on every request
after the first. This measures the real `Handler` answering a fixed body, without the cloud behind it.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable

from localcloud import apigw
from localcloud.gateway import GatewayServer, Handler
from tests.bench.report import heading, med, ms, table

BODY = b'{"items": []}' * 40


def _round_trips(nagle_off: bool, requests: int) -> list[float]:
    class Fixed(Handler):
        disable_nagle_algorithm = nagle_off

        def do_GET(self) -> None:
            self._send(apigw.HttpResponse(200, [("content-type", "application/json")], BODY))

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = GatewayServer(("127.0.0.1", 0), Fixed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    timings: list[float] = []
    try:
        for _ in range(requests + 3):
            began = time.perf_counter()
            connection.request("GET", "/bench")
            connection.getresponse().read()
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        connection.close()
        server.shutdown()
        server.server_close()
    return timings[3:]  # the first requests of a connection are ACKed at once (TCP quick-ack)


def measure(progress: Callable[[str], None], requests: int = 40) -> tuple[list[str], list[str]]:
    progress("gateway keep-alive round trips")
    configured = med(_round_trips(Handler.disable_nagle_algorithm, requests))
    nagle = med(_round_trips(False, requests))
    rows = [["as configured", ms(configured)], ["Nagle on (before)", ms(nagle)]]
    section = [heading("6. Local gateway, keep-alive request (ms, median)"), *table(["gateway", "ms"], rows)]
    summary = [f"gateway keep-alive request: {ms(configured)} ms (Nagle on: {ms(nagle)} ms), {requests} requests"]
    return section, summary
