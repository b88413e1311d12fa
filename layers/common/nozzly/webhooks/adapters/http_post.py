"""One POST to an endpoint, to the address already checked, never following a redirect.

Hand-written on the stdlib's http.client rather than a client library: the connection must go to the
address the SSRF check approved (no second DNS lookup an attacker could answer differently), while TLS
still verifies the certificate for the URL's host name. Redirects are never followed (http.client does not).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

TIMEOUT_SECONDS: Final = 10.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int | None
    latency_ms: int
    error: str


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, address: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> Outcome:
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPS if https else _PinnedHTTP
    connection = kind(host, port, address, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # drained, not kept: a receiver's answer is not ours to store
        status = response.status
    except (OSError, http.client.HTTPException) as failure:
        return Outcome(None, _since(started), f"{type(failure).__name__}: {failure}"[:300])
    finally:
        connection.close()
    return Outcome(status, _since(started), "" if 200 <= status < 300 else f"HTTP {status}")


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
