"""The "fulfil order" workflow's steps (statemachines/fulfilment.asl.json), each safe to retry:

commit (the fulfilment recorded on the order, its stock taken off on hand and reserved and a ledger entry per
variant, one transaction) -> mark_shipped (once nothing is left to fulfil) -> the state machine announces
ShipmentCreated.

The commit's order write is conditioned on the version read and the fulfilment's id comes from the request,
so a retried commit finds the fulfilment on the order and writes nothing: stock is deducted, and entered in
the ledger, exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.reservations import StockHoldsRepository
from nozzly.catalog.adapters.stock_ledger import StockLedger
from nozzly.catalog.domain.stock import ShipmentReference, shipped_entries
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import NotFound
from nozzly.observability import logger
from nozzly.orders.adapters.fulfilment_workflow import fulfilment_from_input
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.fulfilment import mark_shipped, plan_commits, record_fulfilment
from nozzly.orders.domain.orders import Order

ATTEMPTS = 5  # the order or its stock changed meanwhile: read both again and decide again


class TransientConflict(Exception):
    """Worth a retry by the state machine (its Retry names this error)."""


@dataclass(frozen=True)
class FulfilmentSteps:
    orders: OrdersRepository
    catalog: CatalogRepository
    stock: StockHoldsRepository
    ledger: StockLedger
    clock: Callable[[], float] = field(default=time.time)

    def _order(self, store_id: str, order_id: str) -> Order:
        order = self.orders.get(store_id, order_id)
        if order is None:
            raise NotFound(f"order {order_id!r} not found", field="order")
        return order

    def commit(self, store_id: str, order_id: str, fulfilment: Mapping[str, Any]) -> dict[str, Any]:
        wanted = fulfilment_from_input(fulfilment, self.clock())
        for _ in range(ATTEMPTS):
            # Products first, then the order: a concurrent attempt that committed after the products were read
            # shows on the order read after them (and one committing later fails this transaction), so stock
            # already taken is never judged missing.
            products = self.catalog.products_by_slug(store_id, {line.product_slug for line in wanted.lines})
            before = self._order(store_id, order_id)
            after = record_fulfilment(before, wanted, self.clock())
            if after is before:
                logger.info("fulfilment already recorded", extra={"order_id": order_id, "id": wanted.fulfilment_id})
                return _outcome(after, wanted.fulfilment_id)
            plan = plan_commits(wanted.lines, products)
            shipment = ShipmentReference(order_id, before.number, wanted.fulfilment_id)
            entries = shipped_entries(store_id, plan, shipment=shipment, by=wanted.by, at=int(self.clock() * 1000))
            tx = Transaction()
            tx.add("order", self.orders.replace_op(before, after))
            tx.add("stock", *self.stock.commits(store_id, plan))
            tx.add("ledger", *map(self.ledger.entry_op, entries))
            try:
                tx.commit()
            except WriteConflict:
                continue
            logger.info("fulfilment committed", extra={"order_id": order_id, "id": wanted.fulfilment_id})
            return _outcome(after, wanted.fulfilment_id)
        raise TransientConflict("the order or its stock kept changing while committing; retrying")

    def mark_shipped(self, store_id: str, order_id: str, by: str) -> dict[str, Any]:
        for _ in range(ATTEMPTS):
            before = self._order(store_id, order_id)
            after = mark_shipped(before, by=by, now=self.clock())
            if after is before or self.orders.replace(before, after):
                return {"status": after.status.value, "fulfilment_state": after.fulfilment_state.value}
        raise TransientConflict("the order kept changing while marking it shipped; retrying")


def _outcome(order: Order, fulfilment_id: str) -> dict[str, Any]:
    """What Notify announces (ShipmentCreated), as recorded on the order."""
    recorded = order.fulfilment(fulfilment_id)
    assert recorded is not None
    return {
        "fulfilment_id": recorded.fulfilment_id,
        "carrier": recorded.carrier,
        "tracking_number": recorded.tracking_number,
        "tracking_url": recorded.tracking_url,
    }
