"""A signed-in shopper's live pass: what lets the shop's pages join the shopper's own room without handing the
Cognito access token to page scripts (it stays in its HttpOnly cookie). Pure Python.

A pass is `{expires}.{mac}`: an HMAC-SHA256, under the platform key orders' tracking tokens use, of
`shopper:{store}:{sub}:{expires}` (the room's name and the end: a different message from any order's, so a token
of one kind is never a token of the other). A page that verified the shopper with Cognito mints one; it opens
that one room (and what the shopper may join from there) until it expires. Compared in constant time; never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Final

PASS_SECONDS: Final = 4 * 3600  # a page left open reconnects with it for a while; then the next page mints another
RENEW_BEFORE_SECONDS: Final = 3600  # a page renews a pass that ends within the hour
MIN_KEY_BYTES: Final = 32
_PASS: Final = re.compile(r"^(?P<expires>[0-9]{10})\.(?P<mac>[A-Za-z0-9_-]{43})$")


def _mac(key: bytes, room: str, expires: int) -> str:
    digest = hmac.new(key, f"{room}:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def shopper_room_name(store_id: str, sub: str) -> str:
    return f"shopper:{store_id}:{sub}"


def shopper_pass(key: bytes, store_id: str, sub: str, now: float) -> str | None:
    """A new pass for the shopper's room; None without a usable key (the pages then stay static)."""
    if len(key) < MIN_KEY_BYTES:
        return None
    expires = int(now) + PASS_SECONDS
    return f"{expires}.{_mac(key, shopper_room_name(store_id, sub), expires)}"


def pass_expires(candidate: str) -> int | None:
    match = _PASS.match(candidate)
    return int(match["expires"]) if match else None


def is_shopper_pass(key: bytes, store_id: str, sub: str, candidate: object, now: float) -> bool:
    """True only for an unexpired pass of this shopper of this store."""
    match = _PASS.match(candidate) if isinstance(candidate, str) else None
    if match is None or len(key) < MIN_KEY_BYTES or int(match["expires"]) <= now:
        return False
    expected = _mac(key, shopper_room_name(store_id, sub), int(match["expires"]))
    return hmac.compare_digest(expected.encode(), match["mac"].encode())
