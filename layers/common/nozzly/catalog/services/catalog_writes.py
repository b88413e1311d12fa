"""What every catalog administration write shares: bounded retries of optimistic writes, the change event."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final, TypeVar

from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.domain.errors import Conflict
from nozzly.observability import logger

ATTEMPTS: Final = 4
CATALOG_SOURCE: Final = "catalog"
CATALOG_CHANGED: Final = "CatalogChanged"
# One product's own events, for integrators' webhooks (webhooks/domain/catalogue.py).
PRODUCT_CREATED: Final = "ProductCreated"
PRODUCT_UPDATED: Final = "ProductUpdated"
PRODUCT_DELETED: Final = "ProductDeleted"
T = TypeVar("T")


class Stale(Exception):
    """What was read changed before the write: read again and decide again."""


def retrying(what: str, attempt: Callable[[], T]) -> T:
    """Run read-decide-write until it is not stale; a write that keeps losing is a 409 the caller can retry."""
    for n in range(ATTEMPTS):
        try:
            return attempt()
        except Stale:
            logger.info("catalog write raced, retrying", extra={"what": what, "attempt": n + 1})
            time.sleep(0.02 * (n + 1))
    raise Conflict(f"{what} changed meanwhile; please try again", field=what.split(" ", 1)[0])


def now_ms() -> int:
    return int(time.time() * 1000)


def announce(events: EventPublisher, store_id: str, products: list[str]) -> None:
    """CatalogChanged for CatalogStats (counts) and whoever else listens. The write already happened: a lost
    event is logged, not an error, and the nightly recount repairs the counts."""
    try:
        events.publish(
            CATALOG_SOURCE, CATALOG_CHANGED, {"store_id": store_id, "products": [{"slug": s} for s in products]}
        )
    except Exception:
        logger.exception("CatalogChanged not published", extra={"store_id": store_id})


def announce_product(events: EventPublisher, store_id: str, detail_type: str, product: Product) -> None:
    """ProductCreated/Updated/Deleted. Like announce: the write already happened, a lost event is logged."""
    detail = {
        "store_id": store_id,
        "product": product.slug,
        "title": product.title,
        "status": product.status.value,
        "version": product.version,
    }
    try:
        events.publish(CATALOG_SOURCE, detail_type, detail)
    except Exception:
        logger.exception("product event not published", extra={"store_id": store_id, "detail_type": detail_type})
