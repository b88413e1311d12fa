"""Task of the StoreProvisioning state machine: one step (seeding, seed, fail) per invocation."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry


def _run(event: dict[str, Any]) -> dict[str, Any]:
    # Imported on the first invocation: pydantic models and boto3 are not cold-start costs.
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.contracts.stores import ProvisioningStep
    from nozzly.stores.services.store_provisioning import Provisioning

    s = get_settings()
    step = ProvisioningStep.model_validate(event)
    provisioning = Provisioning(
        StoresRepository(s.stores_table), StoreSettingsRepository(s.stores_table), CatalogRepository(s.catalog_table)
    )
    if step.step == "seeding":
        return provisioning.mark_seeding(step.store_id)
    if step.step == "seed":
        return provisioning.seed(step.store_id)
    return provisioning.mark_failed(step.store_id, step.error)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
