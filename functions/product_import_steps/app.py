"""Tasks of ProductImportStateMachine: one step of one import per invocation."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry
from nozzly.wiring import imports

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    from nozzly.imports.contracts import import_steps as c
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep

    return {
        "fetch": WorkflowStep(c.FetchStep, lambda p: imports.import_steps().fetch(p), c.Fetched),
        "copy": WorkflowStep(c.CopyStep, lambda p: imports.import_steps().copy(p), c.CopyOut),
        "images": WorkflowStep(c.ImagesStep, lambda p: imports.import_steps().images(p), c.ImagesOut),
        "price": WorkflowStep(c.PriceStep, lambda p: imports.import_steps().price(p), c.PriceOut),
        "create": WorkflowStep(c.CreateStep, lambda p: imports.import_steps().create(p), c.Created),
        "fail": WorkflowStep(c.FailStep, lambda p: imports.import_steps().fail(p), c.Failed),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "product import")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry (TransientError) and Catch (compensation) decide.
    return _run(event)
