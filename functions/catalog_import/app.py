"""Task of the CatalogImport state machine: one step (the store, or one product) per invocation."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry
from nozzly.wiring import catalog

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    # Imported on the first invocation: pydantic models are not cold-start costs.
    from nozzly.catalog.contracts.catalog_import import ProductImported, ProductStep, StoreImported, StoreStep
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep

    # Through lambdas: a step's adapters are built when it first runs, not with the table.
    return {
        "store": WorkflowStep(StoreStep, lambda p: catalog.store_import()(p), StoreImported),  # noqa: PLW0108
        "product": WorkflowStep(ProductStep, lambda p: catalog.product_import()(p), ProductImported),  # noqa: PLW0108
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "import")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
