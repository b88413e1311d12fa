"""Task of the CatalogImport state machine: one step (the store, or one product) per invocation."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry


def _run(event: dict[str, Any]) -> dict[str, Any]:
    # Imported on the first invocation: pydantic models and boto3 are not cold-start costs.
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.contracts.catalog_import import ProductStep, StoreStep
    from nozzly.catalog.services.catalog_import import import_product, import_store
    from nozzly.media.adapters.images import ProductImages
    from nozzly.settings import ImportSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ImportSettings)
    catalog = CatalogRepository(s.catalog_table)
    if event.get("step") == "store":
        # Only admin lookups by username are made: the app client id is not needed.
        operators = UserDirectory(s.operator_user_pool_id, client_id="")
        stores, members = StoresRepository(s.stores_table), MembersRepository(s.stores_table)
        settings = StoreSettingsRepository(s.stores_table)
        return import_store(StoreStep.model_validate(event), stores, catalog, members, operators, settings=settings)
    if event.get("step") == "product":
        return import_product(ProductStep.model_validate(event), catalog, ProductImages(s.images_bucket))
    raise ValueError(f"unknown import step {event.get('step')!r}")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
