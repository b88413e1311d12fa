"""HTTP connections pinned to the address the SSRF rules approved (`kernel/domain/url_safety.py`).

Hand-written on the stdlib's http.client rather than a client library: the connection must go to the
address already checked (no second DNS lookup an attacker could answer differently), while TLS still
verifies the certificate for the URL's host name. http.client never follows a redirect, so each caller
decides whether a 3xx is a failure (webhooks) or a new hop judged from scratch (supplier downloads).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from nozzly.kernel.domain.url_safety import Resolver, check_url


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


def default_port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def approved_address(url: str, resolve: Resolver, *, allow_loopback_http: bool) -> str:
    """The address to connect to; raises InvalidInput (field "url") naming why `url` may not be called."""
    check_url(url, resolve, allow_loopback_http=allow_loopback_http)
    return sorted(resolve(urlsplit(url).hostname or "", default_port(url)))[0]  # check_url judged every one


def connection(url: str, address: str, timeout: float) -> http.client.HTTPConnection:
    """A connection to `address` that speaks to `url`'s host (Host header, TLS server name)."""
    parts = urlsplit(url)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    return kind(parts.hostname or "", default_port(url), address, timeout)


def request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
