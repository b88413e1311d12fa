"""Telling a shopper's other devices that their cart changed: `CartChanged` on the bus (sales/domain/cart_events.py),
which the realtime notifier pushes to the shopper's own room."""

from __future__ import annotations

from nozzly.kernel.adapters.events import EventPublisher
from nozzly.observability import logger
from nozzly.sales.domain.cart_events import CART_CHANGED, cart_changed
from nozzly.sales.domain.carts import Cart


class CartAnnouncer:
    def __init__(self, events: EventPublisher) -> None:
        self.events = events

    def changed(self, cart: Cart) -> None:
        detail = cart_changed(cart)
        if detail is None:
            return
        try:
            self.events.publish("sales", CART_CHANGED, detail)
        except Exception:  # the cart is saved either way; only the other devices' heads-up is lost
            logger.exception("CartChanged not published", extra={"store_id": cart.store_id})
