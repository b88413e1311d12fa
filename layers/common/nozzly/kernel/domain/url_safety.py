"""Which URLs Nozzly may call (server-side request forgery rules): webhook endpoints, supplier downloads, feeds.

Checked on the addresses the host name resolves to, whenever a URL is saved and again before every call (DNS
can change between the two), and on every redirect hop of a download (webhooks never follow a redirect).
On AWS only https to public addresses. In the local cloud (`allow_loopback_http`) http and https to
loopback are allowed too, so tests can run a receiver on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Final
from urllib.parse import urlsplit

from nozzly.kernel.domain.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

_METADATA: Final = (ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"))
_CGNAT: Final = ipaddress.ip_network("100.64.0.0/10")
MAX_URL_LENGTH: Final = 2048


_RULES: Final[tuple[tuple[str, Callable[[Address], bool]], ...]] = (
    ("a cloud metadata address", lambda a: a in _METADATA),
    ("an unspecified address", lambda a: a.is_unspecified),
    ("a link-local address", lambda a: a.is_link_local),
    ("a multicast address", lambda a: a.is_multicast),
    ("a shared (CGNAT) address", lambda a: isinstance(a, ipaddress.IPv4Address) and a in _CGNAT),
    ("a private or reserved address", lambda a: a.is_private or a.is_reserved or not a.is_global),
)


def refusal(address: Address, *, allow_loopback: bool) -> str | None:
    """Why this address may not be called, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    return next((reason for reason, applies in _RULES if applies(address)), None)


def check_url(url: str, resolve: Resolver, *, allow_loopback_http: bool) -> None:
    """Raise InvalidInput naming the reason when `url` may not be called."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput("the URL is too long", field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise InvalidInput("the URL must start with https://", field="url")
    if parts.username or parts.password:
        raise InvalidInput("the URL may not carry a user name or password", field="url")
    host = parts.hostname
    if not host:
        raise InvalidInput("the URL has no host", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput("the URL's port is not a number", field="url") from None
    try:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    except (OSError, ValueError):
        raise InvalidInput(f"the host {host} does not resolve", field="url") from None
    if not addresses:
        raise InvalidInput(f"the host {host} does not resolve", field="url")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback_http)
        if reason:
            raise InvalidInput(f"the host {host} resolves to {address}, {reason}", field="url")
    if parts.scheme == "http" and not (allow_loopback_http and all(a.is_loopback for a in addresses)):
        raise InvalidInput("the URL must start with https:// (http only for loopback in the local cloud)", field="url")
