"""A shopper's own orders in a store: list, read, cancel. Only orders placed with the shopper's account.

Guests' orders have no account, so no route lists or cancels them here. Another shopper's order is 404,
exactly like an order that does not exist: nobody learns that an order id is in use.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.adapters.catalog import CatalogRepository
from nozzly.adapters.orders import OrderPage, OrdersRepository
from nozzly.adapters.reservations import release_ops
from nozzly.adapters.stores import StoresRepository, WriteConflict, write_atomically
from nozzly.domain.accounts import Caller
from nozzly.domain.checkout import plan_releases
from nozzly.domain.errors import Conflict, NotFound
from nozzly.domain.order_rules import CANCELLATION_REFUND_KEY, cancel
from nozzly.domain.orders import Order, OrderStatus, RefundState
from nozzly.observability import logger
from nozzly.services.identity import store_shopper
from nozzly.services.order_refunds import ATTEMPTS, OrderRefunds


@dataclass(frozen=True)
class ShopperOrders:
    stores: StoresRepository
    orders: OrdersRepository
    catalog: CatalogRepository
    refunds: OrderRefunds
    catalog_table: str
    clock: Callable[[], float] = field(default=time.time)

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
        """Cancelled, its stock released in the same transaction, and what was paid refunded in full.

        The transaction's order write is conditioned on the version read, so a retry (or a second click)
        finds the order cancelled and releases nothing twice: 409, unless the first attempt's refund never
        finished, which the retry then finishes.
        """
        for _ in range(ATTEMPTS):
            before = self.get(store_id, shopper, order_id)
            if before.status is OrderStatus.CANCELLED:
                unfinished = before.refund(CANCELLATION_REFUND_KEY)
                if unfinished is not None and unfinished.state is RefundState.REQUESTED:
                    return self._refund(before)
                raise Conflict("the order is already cancelled", field="order")
            after = cancel(before, by=f"shopper:{shopper.sub}", now=self.clock())
            products = self.catalog.products_by_slug(store_id, {line.product_slug for line in before.lines})
            plan = plan_releases(before.lines, products)
            try:
                write_atomically(
                    [self.orders.replace_op(before, after), *release_ops(self.catalog_table, store_id, plan)]
                )
            except WriteConflict:
                continue  # the order or a product changed meanwhile: read both again
            logger.info("order cancelled", extra={"store_id": store_id, "order_id": order_id})
            return self._refund(after)
        raise Conflict("the order or its stock kept changing; try again", field="order")

    def _refund(self, order: Order) -> Order:
        """The cancellation's refund, if it claimed one. The order stays cancelled whatever the provider says:
        a refused refund is recorded as failed for an operator to settle, and logged."""
        if order.refund(CANCELLATION_REFUND_KEY) is None:
            return order
        try:
            return self.refunds.complete(order, CANCELLATION_REFUND_KEY)
        except Conflict:
            logger.exception("the cancellation's refund did not go through", extra={"order_id": order.order_id})
            return self.refunds.read(order.store_id, order.order_id)
