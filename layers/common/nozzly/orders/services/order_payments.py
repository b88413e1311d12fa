"""Operators and an order's money: read the order, refund it (full or partial), mark a cash order paid.

The store comes from the path and the caller from the verified token; services.tenancy decides
(orders.read, refunds.create, orders.manage) before anything else is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_rules import mark_paid
from nozzly.orders.domain.orders import Order, OrderRefund
from nozzly.orders.services.order_refunds import OrderRefunds
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MIN_KEY, MAX_KEY = 8, 100


@dataclass(frozen=True)
class OrderPayments:
    members: MembersRepository
    refunds: OrderRefunds

    def get(self, store_id: str, sub: str, order_id: str) -> Order:
        require(self.members, store_id, sub, Action.ORDERS_READ)
        return self.refunds.read(store_id, order_id)

    def refund(
        self, store_id: str, sub: str, order_id: str, *, key: str | None, amount: Money | None, reason: str
    ) -> tuple[Order, OrderRefund]:
        require(self.members, store_id, sub, Action.REFUNDS_CREATE)
        if key is None or not MIN_KEY <= len(key) <= MAX_KEY:
            self.refunds.read(store_id, order_id)  # an order that does not exist is that, whatever the request
            raise InvalidInput(
                f"an Idempotency-Key header of {MIN_KEY} to {MAX_KEY} characters is required", field="Idempotency-Key"
            )
        # Namespaced: no header value can name the refund a cancellation makes.
        named = f"key:{key}"
        order = self.refunds.request(store_id, order_id, key=named, amount=amount, reason=reason, by=f"operator:{sub}")
        refund = order.refund(named)
        assert refund is not None
        return order, refund

    def mark_paid(self, store_id: str, sub: str, order_id: str) -> Order:
        require(self.members, store_id, sub, Action.ORDERS_MANAGE)
        return self.refunds.change(
            store_id, order_id, lambda order: mark_paid(order, by=f"operator:{sub}", now=self.refunds.clock())
        )
