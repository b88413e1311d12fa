"""Recount published products per category and per store.

Triggered by CatalogImported (one store) and by a nightly schedule (every store, catching anything
an event missed).
"""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import catalog, stores


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Imported on the first invocation: pydantic models are not cold-start costs.
    from nozzly.catalog.contracts.catalog_import import CatalogImported
    from nozzly.catalog.services.catalog_stats import recount

    if event.get("detail-type") == "Scheduled Event":
        store_ids = stores.stores_repository().list_store_ids()
    else:
        store_ids = [CatalogImported.model_validate(event["detail"]).store_id]
    for store_id in store_ids:
        counts = recount(store_id, catalog.catalog_repository())
        logger.info("catalog recounted", extra={"store_id": store_id, "counts": counts})
    metrics.add_metric(name="StoresRecounted", unit="Count", value=len(store_ids))
    return {"stores": store_ids}
