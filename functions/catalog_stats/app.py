"""Recount published products per category and per store.

Triggered by CatalogImported (one store) and by a nightly schedule (every store, catching anything
an event missed).
"""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Imported on the first invocation: pydantic models and boto3 are not cold-start costs.
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.contracts.catalog_import import CatalogImported
    from nozzly.catalog.services.catalog_stats import recount
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    if event.get("detail-type") == "Scheduled Event":
        stores = StoresRepository(s.stores_table).list_store_ids()
    else:
        stores = [CatalogImported.model_validate(event["detail"]).store_id]
    catalog = CatalogRepository(s.catalog_table)
    for store_id in stores:
        counts = recount(store_id, catalog)
        logger.info("catalog recounted", extra={"store_id": store_id, "counts": counts})
    metrics.add_metric(name="StoresRecounted", unit="Count", value=len(stores))
    return {"stores": stores}
