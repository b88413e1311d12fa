"""Win-back: a shopper who has not ordered from a store for N days (the store's `win_back` flow: off by default,
90 days, 30 to 365) gets one email asking them back, once per window without an order. Pure.

Every order moves its address's window: the window is named by the order's time, so a new order after the email
opens a new one (and a new email N days later), while a retried or repeated run of one window sends nothing
twice (the sent-email claim's reference is the window). The delay is the store's when the order was placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

DAY: Final = 86400
CATCH_UP_DAYS: Final = 3  # a win-back missed by every run this long is dropped (a new order opens the next)
KIND: Final = "win_back"  # the flow's key, the email's template and the sent-email claim's kind


@dataclass(frozen=True, slots=True)
class LastOrder:
    """An address's last order in a store, and when its win-back falls due."""

    store_id: str
    email: str
    ordered_at: int
    due_at: int

    @property
    def window(self) -> str:
        """The sent-email claim's reference: once per address and window."""
        return f"{self.email}#{self.ordered_at}"


def last_order(store_id: str, email: str, ordered_at: float, delay_seconds: int) -> LastOrder:
    return LastOrder(store_id, email.strip().lower(), int(ordered_at), int(ordered_at) + delay_seconds)


def due_day(epoch: float) -> str:
    """The index partition of win-backs due on the UTC day holding `epoch`."""
    return "WINBACKDUE#" + datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def due_days(now: float) -> list[str]:
    """Today and the catch-up days before it, oldest first."""
    return [due_day(now - back * DAY) for back in range(CATCH_UP_DAYS, -1, -1)]


def too_late(due_at: int, now: float) -> bool:
    return now - due_at > CATCH_UP_DAYS * DAY


def shop_url(store_id: str, storefront_url: str | None, api_url: str) -> str:
    """Where the email invites the shopper back: the store's storefront, else its shop pages on the platform."""
    return storefront_url.rstrip("/") + "/" if storefront_url else f"{api_url.rstrip('/')}/shop/{store_id}/"
