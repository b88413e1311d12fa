"""Cancelling an order that has not shipped, whoever asks (the shopper, an operator): the order cancelled, its
held stock released and its discount code's use given back in one transaction, then what was paid refunded
through the provider.

The transaction's order write is conditioned on the version read, so a retry (or a second click) finds the
order cancelled and releases and gives back nothing twice: 409, unless the first attempt's refund never
finished, which the retry then finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.reservations import StockHoldsRepository
from nozzly.catalog.domain.stock_holds import plan_releases
from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.order_rules import CANCELLATION_REFUND_KEY, cancel
from nozzly.orders.domain.orders import Order, OrderStatus, RefundState
from nozzly.orders.services.order_refunds import ATTEMPTS, OrderRefunds
from nozzly.promotions.adapters.coupons import CountedUses, CouponsRepository
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.domain.checkout import coupon_user


@dataclass(frozen=True)
class OrderCancellation:
    orders: OrdersRepository
    catalog: CatalogRepository
    refunds: OrderRefunds
    stock: StockHoldsRepository
    coupons: CouponsRepository
    clock: Callable[[], float] = field(default=time.time)

    def cancel(self, read: Callable[[], Order], *, by: str, reason: str) -> Order:
        """Cancelled, its stock released and its code's use given back in the same transaction, and what was
        paid refunded in full. `read` reads the order as the caller may see it (a shopper's own order only)."""
        for _ in range(ATTEMPTS):
            before = read()
            if before.status is OrderStatus.CANCELLED:
                unfinished = before.refund(CANCELLATION_REFUND_KEY)
                if unfinished is not None and unfinished.state is RefundState.REQUESTED:
                    return self._refund(before)
                raise Conflict("the order is already cancelled", field="order")
            after = cancel(before, by=by, now=self.clock(), reason=reason)
            try:
                self._write(before, after)
            except WriteConflict:
                continue  # the order, a product or the code's counters changed meanwhile: read them again
            logger.info("order cancelled", extra={"store_id": before.store_id, "order_id": before.order_id, "by": by})
            return self._refund(after)
        raise Conflict("the order or its stock kept changing; try again", field="order")

    def _write(self, before: Order, after: Order) -> None:
        """One transaction, so only the cancel whose order write wins (`version = :read`) gives anything back."""
        store_id, code, user = before.store_id, before.coupon, _coupon_user(before)
        reads = ReadSet()
        products = reads.add_each(
            {x.product_slug: self.catalog.product_read(store_id, x.product_slug) for x in before.lines}
        )
        coupon = reads.add(self.coupons.coupon_read(store_id, code)) if code else None
        uses = reads.add(self.coupons.uses_read(store_id, code, user)) if code else None
        found = reads.fetch()
        tx = Transaction()
        tx.add("order", self.orders.replace_op(before, after))
        tx.add("stock", *self.stock.releases(store_id, plan_releases(before.lines, found.each(products))))
        if code and coupon and uses:
            tx.add("coupon", *self.coupons.given_back(store_id, code, user, CountedUses.of(found[coupon], found[uses])))
        tx.commit()

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


def _coupon_user(order: Order) -> str:
    """Whose per-shopper count the order's code use went to, as the checkout counted it."""
    whose = CartOf(CartOwner.SHOPPER, order.customer) if order.customer else CartOf(CartOwner.GUEST, "")
    return coupon_user(whose, order.email)
