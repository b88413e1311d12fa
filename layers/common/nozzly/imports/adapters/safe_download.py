"""GET a supplier's URL safely: every hop's host resolved and judged by the SSRF rules, the connection pinned
to the approved address (no second lookup an attacker's DNS could answer differently; TLS still verifies the
URL's host name), redirects followed by hand and judged again, size and type refused from the headers, the
body read up to the limit, and a deadline for the whole download.

The SSRF rules and the pinned connection are the kernel's (`kernel/domain/url_safety.py`,
`kernel/adapters/pinned_http.py`), shared with the webhooks' POST.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass
from urllib.parse import urljoin

from nozzly.imports.domain.download_rules import (
    MAX_REDIRECTS,
    DownloadLimits,
    DownloadRefused,
    TransientError,
    judge_headers,
    media_type,
)
from nozzly.kernel.adapters.pinned_http import approved_address, connection, request_target
from nozzly.kernel.adapters.resolver import resolve
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.url_safety import Resolver


@dataclass(frozen=True, slots=True)
class Downloaded:
    url: str  # the last hop's
    content_type: str
    body: bytes


class SafeDownloader:
    def __init__(self, *, allow_loopback_http: bool, resolver: Resolver = resolve) -> None:
        self.allow_loopback_http = allow_loopback_http
        self.resolve = resolver

    def _approved(self, url: str) -> str:
        """The address to connect to, or DownloadRefused naming why the URL may not be fetched."""
        try:
            return approved_address(url, self.resolve, allow_loopback_http=self.allow_loopback_http)
        except InvalidInput as refused:
            raise DownloadRefused(refused.message, field="source_url") from None

    def get(self, url: str, limits: DownloadLimits) -> Downloaded:
        deadline = time.monotonic() + limits.timeout_seconds
        for _hop in range(MAX_REDIRECTS + 1):
            address = self._approved(url)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransientError(f"downloading {url} took longer than {limits.timeout_seconds} s")
            pinned = connection(url, address, remaining)
            try:
                pinned.request("GET", request_target(url), headers={"Accept": ", ".join(sorted(limits.content_types))})
                response = pinned.getresponse()
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
                pinned.close()
        raise DownloadRefused(f"more than {MAX_REDIRECTS} redirects", field="source_url")
