"""GET a supplier's URL safely: every hop's host resolved and judged by the SSRF rules, the connection pinned
to the approved address (no second lookup an attacker's DNS could answer differently; TLS still verifies the
URL's host name), redirects followed by hand and judged again, size and type refused from the headers, the
body read up to the limit, and a deadline for the whole download.

Hand-written on http.client for the same reasons as the webhooks' POST (nozzly/webhooks/adapters/http_post.py).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from nozzly.imports.domain.download_rules import (
    MAX_REDIRECTS,
    DownloadLimits,
    DownloadRefused,
    TransientError,
    judge_headers,
    media_type,
)
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.webhooks.adapters.resolver import resolve
from nozzly.webhooks.domain.url_safety import Resolver, check_url


@dataclass(frozen=True, slots=True)
class Downloaded:
    url: str  # the last hop's
    content_type: str
    body: bytes


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


class SafeDownloader:
    def __init__(self, *, allow_loopback_http: bool, resolver: Resolver = resolve) -> None:
        self.allow_loopback_http = allow_loopback_http
        self.resolve = resolver

    def _approved(self, url: str) -> str:
        """The address to connect to, or DownloadRefused naming why the URL may not be fetched."""
        try:
            check_url(url, self.resolve, allow_loopback_http=self.allow_loopback_http)
        except InvalidInput as refused:
            raise DownloadRefused(refused.message, field="source_url") from None
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return sorted(self.resolve(parts.hostname or "", port))[0]  # check_url judged every one of them

    def get(self, url: str, limits: DownloadLimits) -> Downloaded:
        deadline = time.monotonic() + limits.timeout_seconds
        for _hop in range(MAX_REDIRECTS + 1):
            address = self._approved(url)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransientError(f"downloading {url} took longer than {limits.timeout_seconds} s")
            parts = urlsplit(url)
            https = parts.scheme == "https"
            kind = _PinnedHTTPS if https else _PinnedHTTP
            connection = kind(parts.hostname or "", parts.port or (443 if https else 80), address, remaining)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            try:
                connection.request("GET", path, headers={"Accept": ", ".join(sorted(limits.content_types))})
                response = connection.getresponse()
                if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                    url = urljoin(url, response.getheader("Location", ""))
                    continue  # the next hop is judged from scratch
                if response.status == 429 or response.status >= 500:
                    raise TransientError(f"{url} answered HTTP {response.status}")
                if response.status != 200:
                    raise DownloadRefused(f"{url} answered HTTP {response.status}", field="source_url")
                judge_headers(limits, response.getheader("Content-Type"), response.getheader("Content-Length"))
                body = response.read(limits.max_bytes + 1)
                if len(body) > limits.max_bytes:
                    raise DownloadRefused(f"{url} is larger than {limits.max_bytes} bytes", field="source_url")
                return Downloaded(url, media_type(response.getheader("Content-Type")), body)
            except (OSError, http.client.HTTPException) as failure:
                raise TransientError(f"{url}: {type(failure).__name__}: {failure}"[:300]) from failure
            finally:
                connection.close()
        raise DownloadRefused(f"more than {MAX_REDIRECTS} redirects", field="source_url")
