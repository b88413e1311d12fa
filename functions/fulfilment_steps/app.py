"""Tasks of the "fulfil order" workflow (statemachines/fulfilment.asl.json): one step per invocation, each safe
to retry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry
from nozzly.wiring import orders

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    # Built on the first invocation, like the service: the contracts load pydantic.
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.orders.contracts import fulfilment_workflow as c

    return {
        "commit": WorkflowStep(
            c.CommitIn,
            lambda p: orders.fulfilment_steps().commit(p.store_id, p.order_id, p.fulfilment.model_dump(mode="json")),
            c.CommitOut,
        ),
        "mark_shipped": WorkflowStep(
            c.MarkShippedIn,
            lambda p: orders.fulfilment_steps().mark_shipped(p.store_id, p.order_id, p.fulfilment.by),
            c.MarkShippedOut,
        ),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "fulfilment")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
