"""The nightly repair of the sales aggregates (SalesAnalytics on its schedule).

Every order placed in the last REPAIR_DAYS is read from the orders table and brought up to its current version
through the same exactly-once path as the stream (analytics/services/sales_aggregation.py). An order whose
contribution was already current changes nothing; one that was behind (a stream record given up after its
retries, a lost batch) is applied, counted, and reported as drift. Refunds of older orders still arrive through
the stream; the repair does not look that far back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nozzly.analytics.services.sales_aggregation import Outcome, SalesAggregation
from nozzly.orders.adapters.order_listing import OrderListing
from nozzly.orders.adapters.orders import OrdersRepository

REPAIR_DAYS: Final = 35


@dataclass(frozen=True)
class SalesRepair:
    aggregation: SalesAggregation
    listing: OrderListing
    orders: OrdersRepository

    def run(self, store_id: str, now: float) -> int:
        """Repair the store's recent orders; how many were behind."""
        behind = 0
        for order_id in self.listing.placed_since(store_id, int(now) - REPAIR_DAYS * 86400):
            order = self.orders.get(store_id, order_id)
            if order is not None and self.aggregation.apply(order) == Outcome.APPLIED:
                behind += 1
        return behind
