"""What every catalog administration write shares: bounded retries of optimistic writes, the change event."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

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


def announce_changes(
    events: EventPublisher, store_id: str, changes: Sequence[tuple[str, Product]], *, recount: bool = True
) -> None:
    """CatalogChanged plus one ProductCreated/Updated/Deleted per product changed, in as few PutEvents calls as
    EventBridge allows (a bulk change of N products is N product events, each its own webhook). Called only by
    the request whose write changed them, so a retried request that changes nothing announces nothing. Like
    announce: the write already happened, a lost event is logged. `recount=False`: no CatalogChanged (the catalog
    import's workflow announces CatalogImported once, which recounts the store)."""
    if not changes:
        return
    slugs = [{"slug": p.slug} for _, p in changes]
    batch: list[tuple[str, dict[str, Any]]] = []
    if recount:
        batch.append((CATALOG_CHANGED, {"store_id": store_id, "products": slugs}))
    batch += [(kind, product_detail(store_id, p)) for kind, p in changes]
    try:
        events.publish_all(CATALOG_SOURCE, batch)
    except Exception:
        logger.exception("product events not published", extra={"store_id": store_id, "count": len(changes)})


def product_detail(store_id: str, product: Product) -> dict[str, Any]:
    """The `data` of product.created/updated/deleted webhooks (webhooks/contracts ProductEventData)."""
    return {
        "store_id": store_id,
        "product": product.slug,
        "title": product.title,
        "status": product.status.value,
        "deleted": product.deleted,
        "version": product.version,
    }
