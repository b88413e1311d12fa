"""Review requests: a delivered order's shopper is asked, once, N days after delivery (the store's
`review_request` flow: on by default, 7 days), to review what they bought. Pure.

A request is scheduled when the order is delivered (due = delivery + the store's delay then) and sent by an
hourly job that reads the days that may hold due requests. A request due while the job could not run is still
sent for a few days (a late "how was it?" is still fine), then dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

DAY = 86400
CATCH_UP_DAYS = 3  # a request missed by every run this long is no longer sent
KIND = "review_request"  # the flow's key, and the sent-email claim's kind (once per order)


@dataclass(frozen=True, slots=True)
class PendingReview:
    store_id: str
    order_id: str
    due_at: int


def due_day(epoch: float) -> str:
    """The index partition of requests due on the UTC day holding `epoch`."""
    return "REVIEWDUE#" + datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def due_days(now: float) -> list[str]:
    """The days whose requests may be due at `now`: today and the catch-up days before it, oldest first."""
    return [due_day(now - back * DAY) for back in range(CATCH_UP_DAYS, -1, -1)]


def too_late(due_at: int, now: float) -> bool:
    return now - due_at > CATCH_UP_DAYS * DAY


def review_url(store_id: str, order_id: str, product: str, storefront_url: str | None, api_url: str) -> str:
    """The product's review form: on the order's account page, where the shopper reviews what they bought (the
    storefront's when the store names one, else the platform's shop pages)."""
    tail = f"/account/orders/{quote(order_id)}?review={quote(product)}#review"
    if storefront_url:
        return storefront_url.rstrip("/") + tail
    return f"{api_url.rstrip('/')}/shop/{quote(store_id)}{tail}"
