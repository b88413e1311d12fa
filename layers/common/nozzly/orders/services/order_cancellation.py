"""Cancelling an order that has not shipped, whoever asks (the shopper, an operator): the order cancelled and
its held stock released in one transaction, then what was paid refunded through the provider.

The transaction's order write is conditioned on the version read, so a retry (or a second click) finds the
order cancelled and releases nothing twice: 409, unless the first attempt's refund never finished, which the
retry then finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.reservations import release_ops
from nozzly.catalog.domain.stock_holds import plan_releases
from nozzly.kernel.domain.errors import Conflict
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.order_rules import CANCELLATION_REFUND_KEY, cancel
from nozzly.orders.domain.orders import Order, OrderStatus, RefundState
from nozzly.orders.services.order_refunds import ATTEMPTS, OrderRefunds
from nozzly.stores.adapters.stores import WriteConflict, write_atomically


@dataclass(frozen=True)
class OrderCancellation:
    orders: OrdersRepository
    catalog: CatalogRepository
    refunds: OrderRefunds
    catalog_table: str
    clock: Callable[[], float] = field(default=time.time)

    def cancel(self, read: Callable[[], Order], *, by: str, reason: str) -> Order:
        """Cancelled, its stock released in the same transaction, and what was paid refunded in full.
        `read` reads the order as the caller may see it (a shopper's own order only)."""
        for _ in range(ATTEMPTS):
            before = read()
            if before.status is OrderStatus.CANCELLED:
                unfinished = before.refund(CANCELLATION_REFUND_KEY)
                if unfinished is not None and unfinished.state is RefundState.REQUESTED:
                    return self._refund(before)
                raise Conflict("the order is already cancelled", field="order")
            after = cancel(before, by=by, now=self.clock(), reason=reason)
            products = self.catalog.products_by_slug(before.store_id, {line.product_slug for line in before.lines})
            plan = plan_releases(before.lines, products)
            try:
                write_atomically(
                    [self.orders.replace_op(before, after), *release_ops(self.catalog_table, before.store_id, plan)]
                )
            except WriteConflict:
                continue  # the order or a product changed meanwhile: read both again
            logger.info("order cancelled", extra={"store_id": before.store_id, "order_id": before.order_id, "by": by})
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
