"""Stock alerts from the catalog table's stream (StockWatcher): each crossing becomes an event on the bus, and
a low-stock crossing also an item on the store's attention list.

Records are handled one by one, in order; a record whose event or attention item could not be written is
reported failed, and the stream delivers it (and those after it) again. The attention item's key holds the
record's time, so a redelivery rewrites it; a repeated event is sent once by StockEmails' claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nozzly.catalog.adapters.catalog_codec import product_from_data
from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.stock_alerts import AlertKind, alerts
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.observability import logger
from nozzly.stores.adapters.attention import AttentionList

SOURCE = "inventory"  # events go out as nozzly.inventory


def _product(image: dict[str, Any] | None) -> Product | None:
    if not image:
        return None
    data = from_item(image)
    return product_from_data(data) if data.get("type") == "product" else None


@dataclass(frozen=True)
class StockWatch:
    events: EventPublisher
    attention: AttentionList

    def handle(self, record: dict[str, Any]) -> int:
        """Alerts raised by one stream record (Lambda's shape); raises if one could not be recorded."""
        change = record.get("dynamodb") or {}
        found = alerts(_product(change.get("OldImage")), _product(change.get("NewImage")))
        at = int(float(change.get("ApproximateCreationDateTime") or 0))
        for alert in found:
            if alert.kind is AlertKind.LOW_STOCK:
                self.attention.add_low_stock(alert, at)
            self.events.publish(SOURCE, alert.kind.value, {**alert.detail(), "at": at})
            logger.info("stock alert", extra={"store_id": alert.store_id, "kind": alert.kind.value})
        return len(found)

    def handle_all(self, records: Iterable[dict[str, Any]]) -> int:
        return sum(self.handle(r) for r in records)
