"""Tracking tokens of orders: made for the pages and emails that hand them to the order's guest, checked when a
guest connects to follow the order live (orders/domain/tracking.py says why an HMAC)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.orders import PaymentState
from nozzly.orders.domain.tracking import is_tracking_token, tracking_token


@dataclass(frozen=True, slots=True)
class Followed:
    """What an order page shows before it follows the order live: where it stands now, and its token."""

    order_id: str
    status: str
    paid: bool
    token: str | None  # None: no key configured, so the page shows the status without live updates


@dataclass(frozen=True)
class OrderTracking:
    # The platform key's current value, "" when not configured: read per use (cached by the secrets adapter for
    # minutes), so a rotated key reaches warm containers.
    key: Callable[[], str]
    orders: OrdersRepository | None = None

    def token(self, store_id: str, order_id: str) -> str | None:
        return tracking_token(self.key().encode(), store_id, order_id)

    def admits(self, store_id: str, order_id: str, candidate: object) -> bool:
        return is_tracking_token(self.key().encode(), store_id, order_id, candidate)

    def followed(self, store_id: str, order_id: str) -> Followed | None:
        """The order as it stands, for a page whose caller already may see it (its checkout's own page, its
        shopper's); None when there is no such order."""
        assert self.orders is not None, "wired with the orders table"
        order = self.orders.get(store_id, order_id)
        if order is None:
            return None
        paid = order.payment_state is not PaymentState.AWAITING
        return Followed(order_id, order.status.value, paid, self.token(store_id, order_id))
