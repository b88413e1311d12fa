"""The local payment peers on free ports, with a receiver standing in for the gateway's webhook routes.

Imported as `tests.e2e.payment_peers` by the gateway tests: real stripe and squareup SDKs against the peers.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from nozzly.payments.domain.payments import PaymentEvent
from nozzly.payments.domain.payouts import AccountEvent

Parse = Callable[[bytes, dict[str, str]], PaymentEvent | AccountEvent | None]


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every webhook POSTed to it and answers 200, like a healthy /webhooks/<provider> route."""

    port: int
    deliveries: list[Delivery] = field(default_factory=list)

    def serve(self) -> ThreadingHTTPServer:
        deliveries = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                deliveries.append(Delivery(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    def events(self, path: str, parse: Parse) -> list[PaymentEvent]:
        """The payment deliveries to `path`, each verified and parsed as the webhook function would."""
        parsed = [parse(d.body, d.headers) for d in list(self.deliveries) if d.path == path]
        return [e for e in parsed if isinstance(e, PaymentEvent)]

    def wait_for(
        self,
        path: str,
        parse: Parse,
        accept: Callable[[PaymentEvent], bool],
        timeout: float = 10,
    ) -> PaymentEvent:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.events(path, parse) if accept(e)]
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no matching webhook on {path}: {[d.body[:200] for d in self.deliveries]}")


@dataclass
class Peers:
    stripe_url: str
    square_url: str
    receiver: Receiver
    env: dict[str, str]


def running_peers(ports: list[int]) -> Iterator[Peers]:
    """localstripe and the Square sandbox on ports[0..1], webhooks to a receiver on ports[2]."""
    import pytest

    from localcloud.payments.peers import start_peers

    stripe_port, square_port, receiver_port = ports
    receiver = Receiver(receiver_port)
    httpd = receiver.serve()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NOZZLY_STRIPE_PORT", str(stripe_port))
        env.setenv("NOZZLY_SQUARE_PORT", str(square_port))
        env.setenv("NOZZLY_API_PORT", str(receiver_port))  # the peers post to <api>/webhooks/<provider>
        processes: list[subprocess.Popen[bytes]] = start_peers(dict(os.environ))
        try:
            yield Peers(
                f"http://127.0.0.1:{stripe_port}", f"http://127.0.0.1:{square_port}", receiver, dict(os.environ)
            )
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
            httpd.shutdown()
