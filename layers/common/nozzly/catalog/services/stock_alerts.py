"""Stock alerts from the catalog table's stream (StockWatcher): each announced crossing becomes an event on the
bus; a low-stock crossing also opens the variant's item on the store's attention list, and a recovery (back above
the threshold) closes it, quietly.

Records are handled one by one, in order; a record whose event or attention item could not be written is
reported failed, and the stream delivers it (and those after it) again. The attention item is one per variant,
opened and closed with its counter in one conditional transaction, so a redelivery changes nothing twice; a
repeated event is sent once by StockEmails' claim.
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
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.observability import logger
from nozzly.stores.adapters.attention import AttentionList
from nozzly.stores.domain.attention import LOW_STOCK, AttentionKey

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
                self._attend(Transaction().add("item", *self.attention.open_low_stock(alert, at)))
            elif alert.kind is AlertKind.RECOVERED:
                key = AttentionKey(LOW_STOCK, alert.product, alert.variant)
                self._attend(Transaction().add("item", *self.attention.close(alert.store_id, key)))
            if alert.kind.announced:
                self.events.publish(SOURCE, alert.kind.value, {**alert.detail(), "at": at})
            logger.info("stock alert", extra={"store_id": alert.store_id, "kind": alert.kind.value})
        return len(found)

    @staticmethod
    def _attend(change: Transaction) -> None:
        """Opens or closes an item with its counter; already open (a replay) or already closed (a person
        resolved it) is nothing to do."""
        try:
            change.commit()
        except WriteConflict as conflict:
            if "item" not in conflict.failed:
                raise

    def handle_all(self, records: Iterable[dict[str, Any]]) -> int:
        return sum(self.handle(r) for r in records)
