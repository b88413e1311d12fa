"""Tasks of the checkout saga (statemachines/checkout.asl.json): one step per invocation, each safe to retry; and
the schedule's sweep that starts or compensates checkouts left stranded (sales/services/checkout_recovery.py)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.analytics.domain.business_metrics import checkout_figures
from nozzly.observability import lambda_entry, record_figures
from nozzly.wiring import sales

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine (or the schedule) names: its payload, its service call, its result."""
    # Built on the first invocation, like the services: the contracts load pydantic.
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.sales.contracts import checkout_workflow as c

    return {
        "reserve": WorkflowStep(
            c.ReserveIn, lambda p: sales.checkout_saga().reserve(p.store_id, p.checkout_id), c.ReserveOut
        ),
        "start_payment": WorkflowStep(
            c.StartPaymentIn,
            lambda p: sales.checkout_saga().start_payment(
                p.store_id, p.checkout_id, p.task_token, p.reserved.model_dump(mode="json")
            ),
            c.StartPaymentOut,
        ),
        "place_order": WorkflowStep(
            c.PlaceOrderIn, lambda p: sales.checkout_saga().place_order(p.store_id, p.checkout_id), c.PlaceOrderOut
        ),
        "clear_cart": WorkflowStep(
            c.ClearCartIn,
            lambda p: sales.checkout_saga().clear_cart(p.store_id, p.checkout_id, p.cart.model_dump(mode="json")),
            c.ClearCartOut,
        ),
        "abandon": WorkflowStep(
            c.AbandonIn,
            lambda p: sales.checkout_saga().abandon(
                p.store_id,
                p.checkout_id,
                None if p.error is None else p.error.model_dump(mode="json", exclude_unset=True),
            ),
            c.AbandonOut,
        ),
        # The schedule's input.
        "recover": WorkflowStep(c.RecoverIn, lambda p: sales.checkout_recovery().sweep(), c.RecoverOut),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "checkout")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    result = _run(event)
    # The dashboard's checkouts by outcome, counted once the step that ends a checkout has succeeded.
    error = event.get("error")
    record_figures(checkout_figures(str(event.get("step")), error if isinstance(error, dict) else None))
    return result
