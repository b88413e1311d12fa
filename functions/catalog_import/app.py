"""Task of the CatalogImport state machine: one step (the store, or one product) per invocation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.catalog.contracts.catalog_import import ProductStep, StoreStep
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


def _import_store(step: StoreStep) -> Mapping[str, Any]:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.services.catalog_import import import_store
    from nozzly.settings import ImportSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ImportSettings)
    # Only admin lookups by username are made: the app client id is not needed.
    operators = UserDirectory(s.operator_user_pool_id, client_id="")
    stores, members = StoresRepository(s.stores_table), MembersRepository(s.stores_table)
    settings = StoreSettingsRepository(s.stores_table)
    catalog = CatalogRepository(s.catalog_table)
    return import_store(step, stores, catalog, members, operators, settings=settings)


def _import_product(step: ProductStep) -> Mapping[str, Any]:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.services.catalog_import import import_product
    from nozzly.media.adapters.images import ProductImages
    from nozzly.settings import ImportSettings, load

    s = load(ImportSettings)
    return import_product(step, CatalogRepository(s.catalog_table), ProductImages(s.images_bucket))


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    # Imported on the first invocation: pydantic models and boto3 are not cold-start costs.
    from pydantic import BaseModel, ConfigDict

    from nozzly.catalog.contracts.catalog_import import ProductStep, StoreStep
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep

    class StoreImported(BaseModel):
        """What the product steps of the same import are told about the store (the Map's ItemSelector)."""

        model_config = ConfigDict(extra="forbid")

        store_id: str
        currency: str
        categories: list[str]

    class ProductImported(BaseModel):
        model_config = ConfigDict(extra="forbid")

        slug: str

    return {
        "store": WorkflowStep(StoreStep, _import_store, StoreImported),
        "product": WorkflowStep(ProductStep, _import_product, ProductImported),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "import")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
