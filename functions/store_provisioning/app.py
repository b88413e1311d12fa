"""Task of the StoreProvisioning state machine: one step (seeding, seed, fail) per invocation."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry
from nozzly.wiring import stores

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    # Imported on the first invocation: pydantic models are not cold-start costs.
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.stores.contracts.stores import ProvisioningStep, ProvisioningStepOut

    return {
        "seeding": WorkflowStep(
            ProvisioningStep, lambda p: stores.provisioning().mark_seeding(p.store_id), ProvisioningStepOut
        ),
        "seed": WorkflowStep(ProvisioningStep, lambda p: stores.provisioning().seed(p.store_id), ProvisioningStepOut),
        "fail": WorkflowStep(
            ProvisioningStep, lambda p: stores.provisioning().mark_failed(p.store_id, p.error), ProvisioningStepOut
        ),
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "provisioning")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
