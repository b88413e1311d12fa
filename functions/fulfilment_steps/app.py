"""Tasks of the "fulfil order" workflow (statemachines/fulfilment.asl.json): one step per invocation, each safe
to retry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
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


def _run(event: dict[str, Any]) -> dict[str, Any]:
    step, store_id, order_id = event.get("step"), str(event["store_id"]), str(event["order_id"])
    if step == "commit":
        return _deps().commit(store_id, order_id, event["fulfilment"])
    if step == "mark_shipped":
        return _deps().mark_shipped(store_id, order_id, str(event["fulfilment"]["by"]))
    raise ValueError(f"unknown fulfilment step {step!r}")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
