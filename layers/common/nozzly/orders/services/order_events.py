"""Order lifecycle events from the orders table's stream (OrderEvents): what each write of an order added to its
timeline goes on the bus (orders/domain/order_events.py decides which events).

Records are handled one by one, in order. A record whose events could not all be published raises, and the
stream delivers it (and those after it in its shard) again, publishing its events again: at least once, and
each consumer deduplicates (OrderEmails claims every email before sending it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters.events import EventPublisher
from nozzly.observability import logger
from nozzly.orders.adapters.orders import order_from_image
from nozzly.orders.domain.order_events import order_events

SOURCE = "orders"  # events go out as nozzly.orders


@dataclass(frozen=True)
class OrderEventRelay:
    events: EventPublisher

    def handle(self, record: dict[str, Any]) -> int:
        """Publish the events of one stream record (Lambda's shape); the number published."""
        change = record.get("dynamodb") or {}
        after = order_from_image(change.get("NewImage"))
        found = order_events(order_from_image(change.get("OldImage")), after)
        for event in found:
            self.events.publish(SOURCE, event.detail_type, event.detail)
        if found and after is not None:
            extra = {"store_id": after.store_id, "order_id": after.order_id, "events": [e.detail_type for e in found]}
            logger.info("order events published", extra=extra)
        return len(found)
