"""After a stream batch moved a store's sales aggregates, its dashboard figures go out as one `DashboardCounters`
bus event per store, read back from the aggregates just written; RealtimeNotifier pushes them to the store's
operators who may see revenue, so an open dashboard updates without reading the dashboard again.

Three reads per store and batch (profile and pipeline together, the time zone, the days since the previous
month began), whatever the number of orders in the batch. Best effort, like every event after a write: a lost
push leaves the console's own re-read (its fallback) to show the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
from nozzly.analytics.contracts.live_counters import DASHBOARD_COUNTERS, DashboardCountersOut
from nozzly.analytics.domain.calendar import local_day, zone
from nozzly.analytics.domain.sales_figures import DayFigures, compare, earliest_needed
from nozzly.kernel.adapters.batch import read_together
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.observability import logger
from nozzly.orders.domain.orders import OrderStatus
from nozzly.stores.adapters.stores import StoresRepository

SOURCE = "analytics"


@dataclass(frozen=True)
class LiveCounters:
    aggregates: SalesAggregates
    stores: StoresRepository
    timezone_of: Callable[[str], str]  # the store's IANA zone (general settings)
    events: EventPublisher
    clock: Callable[[], float] = time.time

    def figures(self, store_id: str) -> dict[str, Any]:
        """The store's figures now, as the event's detail (the message's `data` plus the store)."""
        store, pipeline = read_together([self.stores.profile_read(store_id), self.aggregates.pipeline_read(store_id)])
        today = local_day(self.clock(), zone(self.timezone_of(store_id)))
        days = self.aggregates.days(store_id, earliest_needed(today, 1), today)
        counters: dict[str, int] = pipeline or {}
        out = DashboardCountersOut.of(
            today,
            store.currency if store else "EUR",
            compare([DayFigures.of(d.day, d.counters) for d in days], today),
            {s.value: max(counters.get(f"status.{s.value}", 0), 0) for s in OrderStatus},
        )
        return {"store_id": store_id, **out.model_dump(mode="json")}

    def announce(self, store_ids: Iterable[str]) -> int:
        """One event per store; how many were published (0 when the bus refused them: logged, not raised, as the
        aggregates are written and the stream must not replay the batch for a push)."""
        try:
            details = [(DASHBOARD_COUNTERS, self.figures(s)) for s in sorted(set(store_ids))]
            self.events.publish_all(SOURCE, details)
        except Exception:
            logger.exception("dashboard counters not published", extra={"stores": sorted(set(store_ids))})
            return 0
        return len(details)
