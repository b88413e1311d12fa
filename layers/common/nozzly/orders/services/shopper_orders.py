"""A shopper's own orders in a store: list, read, cancel. Only orders placed with the shopper's account.

Guests' orders have no account, so no route lists or cancels them here. Another shopper's order is 404,
exactly like an order that does not exist: nobody learns that an order id is in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nozzly.accounts.domain.accounts import Caller
from nozzly.accounts.services.identity import store_shopper
from nozzly.kernel.domain.errors import NotFound
from nozzly.orders.adapters.orders import OrderPage, OrdersRepository
from nozzly.orders.domain.orders import Order
from nozzly.orders.services.order_cancellation import OrderCancellation
from nozzly.stores.adapters.stores import StoresRepository


@dataclass(frozen=True)
class ShopperOrders:
    stores: StoresRepository
    orders: OrdersRepository
    cancellation: OrderCancellation

    def caller(self, store_id: str, claims: Mapping[str, str] | None) -> Caller:
        """404 for an unknown or deleted store, 401 unless an access token of this store's shoppers."""
        return store_shopper(self.stores, store_id, claims)

    def list(self, store_id: str, shopper: Caller, *, cursor: str | None, limit: int) -> OrderPage:
        return self.orders.for_customer(store_id, shopper.sub, cursor=cursor, limit=limit)

    def get(self, store_id: str, shopper: Caller, order_id: str) -> Order:
        order = self.orders.get(store_id, order_id)
        if order is None or order.customer != shopper.sub:
            raise NotFound(f"order {order_id!r} not found", field="order")
        return order

    def cancel(self, store_id: str, shopper: Caller, order_id: str) -> Order:
        """Cancelled, its stock released in the same transaction, and what was paid refunded in full
        (orders/services/order_cancellation.py); another shopper's order is 404."""
        return self.cancellation.cancel(
            lambda: self.get(store_id, shopper, order_id),
            by=f"shopper:{shopper.sub}",
            reason="cancelled by the shopper",
        )
