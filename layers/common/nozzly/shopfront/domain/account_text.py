"""Page decisions of the account pages: where a login may send the shopper on, words for statuses."""

from __future__ import annotations

from typing import Final

STATUS_WORDS: Final = {
    "pending": "Received",
    "processing": "Being prepared",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
}


def local_next(raw: str | None, base: str) -> str | None:
    """`raw` if it is a path of this store's pages (so a login cannot be made to send a shopper elsewhere).

    `base` is the store's path prefix ("/shop/x", or "" on its own domain). Refused: other hosts ("//evil",
    "https://..."), backslashes browsers read as slashes, control characters, and other stores' paths.
    """
    if not raw or len(raw) > 1000 or not raw.startswith("/") or raw.startswith("//"):
        return None
    if "\\" in raw or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return None
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if base and path != base and not path.startswith(base + "/"):
        return None
    return raw


def status_words(status: str) -> str:
    """An order's status as a shopper reads it."""
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def wait_words(seconds: int) -> str:
    """How long to wait before trying again, rounded up to whole minutes past one minute."""
    if seconds <= 60:
        return "a minute"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"
