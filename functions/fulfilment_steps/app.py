"""Tasks of the "fulfil order" workflow (statemachines/fulfilment.asl.json): one step per invocation, each safe
to retry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.orders.services.fulfilment_steps import FulfilmentSteps


@cache
def _deps() -> FulfilmentSteps:
    # Imported on the first invocation: boto3 and pydantic-settings are not cold-start costs.
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.catalog.adapters.stock_ledger import StockLedger
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.fulfilment_steps import FulfilmentSteps
    from nozzly.settings import get_settings

    s = get_settings()
    return FulfilmentSteps(
        orders=OrdersRepository(s.orders_table),
        catalog=CatalogRepository(s.catalog_table),
        stock=StockHoldsRepository(s.catalog_table),
        ledger=StockLedger(s.catalog_table),
    )


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    # Built on the first invocation, like the service: the contracts load pydantic.
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.orders.contracts import fulfilment_workflow as c

    return {
        "commit": WorkflowStep(
            c.CommitIn,
            lambda p: _deps().commit(p.store_id, p.order_id, p.fulfilment.model_dump(mode="json")),
            c.CommitOut,
        ),
        "mark_shipped": WorkflowStep(
            c.MarkShippedIn, lambda p: _deps().mark_shipped(p.store_id, p.order_id, p.fulfilment.by), c.MarkShippedOut
        ),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "fulfilment")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
