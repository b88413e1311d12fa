"""An order's tracking token: what lets a guest (who has no account) follow one order live. Pure Python.

The token is an HMAC-SHA256 of the order's store and id under one platform key (an SSM SecureString), not a
random secret stored with the order: every order has one from the moment it exists, whichever way it was placed
(checkout, an operator's manual order, orders placed before tokens existed), nothing is written to the orders
table or its stream (which other functions read and could log), and the WebSocket authorizer checks a guest
with no table read at all. A rotated key ends every token at once (the pages and emails hand out new ones).

A token is never logged and is compared in constant time (`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Final

TOKEN_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")  # 256 bits, base64url without padding
MIN_KEY_BYTES: Final = 32


def _message(store_id: str, order_id: str) -> bytes:
    # The room name's own shape: unambiguous, as neither a store slug nor an order id holds a colon.
    return f"order:{store_id}:{order_id}".encode()


def tracking_token(key: bytes, store_id: str, order_id: str) -> str | None:
    """The order's token; None when no usable key is configured (guests then cannot follow orders)."""
    if len(key) < MIN_KEY_BYTES:
        return None
    digest = hmac.new(key, _message(store_id, order_id), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def is_tracking_token(key: bytes, store_id: str, order_id: str, candidate: object) -> bool:
    """True only for this order's own token (another order's, a malformed one or a missing key: False)."""
    if not isinstance(candidate, str) or not TOKEN_PATTERN.match(candidate):
        return False
    expected = tracking_token(key, store_id, order_id)
    return expected is not None and hmac.compare_digest(expected.encode(), candidate.encode())
