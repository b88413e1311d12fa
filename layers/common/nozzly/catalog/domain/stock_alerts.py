"""When a stock change deserves a word: a variant falling to its low-stock threshold, or coming back.

Pure Python. Compares a product's variants before and after one write (the catalog stream's old and new
images), so an alert fires on the crossing only: a variant already low that sells one more stays quiet.

RECOVERED (available rose from at or below the threshold to above it) is not news for anyone: it only clears
the variant's low-stock item from the store's attention list, so it is never put on the bus (`announced`).
One write can cross twice: from 0 to above the threshold is both BACK_IN_STOCK and RECOVERED.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.catalog.domain.catalog import Product


class AlertKind(StrEnum):
    LOW_STOCK = "LowStock"  # available fell from above the threshold to at or below it
    BACK_IN_STOCK = "BackInStock"  # available rose from 0
    RECOVERED = "StockRecovered"  # available rose from at or below the threshold to above it

    @property
    def announced(self) -> bool:
        """Whether the crossing goes on the bus (events and emails); RECOVERED only clears the attention list."""
        return self is not AlertKind.RECOVERED


def crossings(previous: int, available: int, threshold: int) -> list[AlertKind]:
    """The crossings of one variant's available stock between two writes, in the order they are handled."""
    found = []
    if previous > threshold >= available:
        found.append(AlertKind.LOW_STOCK)
    if previous == 0 < available:
        found.append(AlertKind.BACK_IN_STOCK)
    if previous <= threshold < available:
        found.append(AlertKind.RECOVERED)
    return found


@dataclass(frozen=True, slots=True)
class StockAlert:
    kind: AlertKind
    store_id: str
    product: str
    variant: str
    title: str
    variant_title: str
    sku: str
    available: int
    threshold: int

    def detail(self) -> dict[str, str | int]:
        """The event's detail on the bus (and what StockEmails reads back)."""
        return {
            "store_id": self.store_id,
            "product": self.product,
            "variant": self.variant,
            "title": self.title,
            "variant_title": self.variant_title,
            "sku": self.sku,
            "available": self.available,
            "threshold": self.threshold,
        }


def _sellable(product: Product | None) -> bool:
    return product is not None and not product.deleted


def alerts(before: Product | None, after: Product | None) -> list[StockAlert]:
    """The crossings between two states of one product. A new product or variant has no 'before' to cross
    from; a deleted product alerts nobody."""
    if before is None or after is None or not _sellable(after):
        return []
    old = {v.variant_id: v for v in before.variants}
    found = []
    for variant in after.variants:
        previous = old.get(variant.variant_id)
        if previous is None:
            continue
        threshold = variant.low_stock_threshold
        for kind in crossings(previous.available, variant.available, threshold):
            found.append(
                StockAlert(
                    kind=kind,
                    store_id=after.store_id,
                    product=after.slug,
                    variant=variant.variant_id,
                    title=after.title,
                    variant_title=variant.title,
                    sku=variant.sku,
                    available=variant.available,
                    threshold=threshold,
                )
            )
    return found
