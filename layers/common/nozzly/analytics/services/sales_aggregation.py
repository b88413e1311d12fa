"""Keeps the sales aggregates from the orders table's stream (SalesAnalytics), exactly once.

For each record: the order as it is now (the new image) gives its whole contribution
(analytics/domain/sales_contribution.py). If the contribution already applied has this version or a later one,
the record is a replay or came late: nothing happens. Otherwise the difference is added to the counters in the
transaction that records the new contribution, conditioned on the one read; a parallel worker or a retry that
got there first makes the condition fail, and the record is judged again from a fresh read.

Whether an order was its email's first is decided once, when its first contribution is applied (claiming the
email in the same transaction), and kept with the contribution after that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from nozzly.analytics.adapters.sales_aggregates import Applied, SalesAggregates
from nozzly.analytics.domain.calendar import zone
from nozzly.analytics.domain.sales_contribution import contribution, difference
from nozzly.kernel.adapters.unit_of_work import WriteConflict
from nozzly.observability import logger
from nozzly.orders.adapters.orders import order_from_image
from nozzly.orders.domain.orders import Order

ATTEMPTS = 5  # conflicts only come from parallel work on the same order; each retry reads what won


class Outcome:
    APPLIED = "applied"
    UNCHANGED = "unchanged"  # the contribution was already this (a replay, or a change that moves no figure)
    STALE = "stale"  # an older version than the one applied


@dataclass
class SalesAggregation:
    aggregates: SalesAggregates
    timezone_of: Callable[[str], str]  # the store's IANA zone (general settings)
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)
    _applied: set[str] = field(default_factory=set)  # stores whose figures moved since take_applied

    def forget_zones(self) -> None:
        self._zones.clear()

    def take_applied(self) -> set[str]:
        """The stores whose aggregates this instance changed since the last call (their live counters are due)."""
        applied, self._applied = self._applied, set()
        return applied

    def handle(self, record: dict[str, Any]) -> str:
        """Apply one stream record (Lambda's shape). Raises if it could not be applied: the stream retries."""
        order = order_from_image((record.get("dynamodb") or {}).get("NewImage"))
        if order is None:
            return Outcome.UNCHANGED  # an order is never deleted but with its store, whose figures go with it
        return self.apply(order)

    def apply(self, order: Order) -> str:
        """Bring the order's contribution to its current version (also the nightly repair's path)."""
        for attempt in range(ATTEMPTS):
            try:
                return self._apply_once(order)
            except WriteConflict:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _apply_once(self, order: Order) -> str:
        previous = self.aggregates.applied(order.store_id, order.order_id)
        if previous is not None and previous.version > order.version:
            return Outcome.STALE
        new_customer, claim = self._new_customer(order, previous)
        cells = contribution(order, self._zone(order.store_id), new_customer=new_customer)
        delta = difference(cells, previous.cells if previous else {})
        if previous is not None and not delta and previous.version == order.version:
            return Outcome.UNCHANGED
        self.aggregates.apply(
            order.store_id,
            order.order_id,
            version=order.version,
            cells=cells,
            delta=delta,
            previous=previous,
            new_customer=new_customer,
            claim_email=claim,
        )
        logger.debug("sales aggregates applied", extra={"store_id": order.store_id, "order_id": order.order_id})
        self._applied.add(order.store_id)
        return Outcome.APPLIED

    def _new_customer(self, order: Order, previous: Applied | None) -> tuple[bool, str | None]:
        """(is it the email's first order, the email to claim in the write or None)."""
        if previous is not None:
            return previous.new_customer, None
        first = self.aggregates.first_order(order.store_id, order.email)
        if first is None:
            return True, order.email
        return first == order.order_id, None

    def _zone(self, store_id: str) -> ZoneInfo:
        if store_id not in self._zones:
            self._zones[store_id] = zone(self.timezone_of(store_id))
        return self._zones[store_id]
