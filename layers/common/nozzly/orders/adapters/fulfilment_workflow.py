"""The "fulfil order" workflow (FulfilmentStateMachine): one execution per fulfilment, named after it.

Starting it again with the same input starts nothing new; the same name with another input (the same
Idempotency-Key sent with another body) is refused. A fulfilment not yet on its order is what its execution
says: running, or ended without committing anything (with the state machine's error and cause).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.domain.errors import Conflict
from nozzly.orders.domain.orders import Fulfilment, FulfilmentLine


def fulfilment_from_input(data: Mapping[str, Any], now: float) -> Fulfilment:
    """The fulfilment as the execution's input carries it (the inverse of execution_input's `fulfilment`)."""
    return Fulfilment(
        fulfilment_id=str(data["id"]),
        lines=tuple(FulfilmentLine(str(x["product"]), str(x["variant"]), int(x["quantity"])) for x in data["lines"]),
        created_at=int(now),
        by=str(data["by"]),
        carrier=data.get("carrier"),
        tracking_number=data.get("tracking_number"),
        tracking_url=data.get("tracking_url"),
    )


def execution_input(store_id: str, order_id: str, fulfilment: Fulfilment) -> dict[str, Any]:
    """What the workflow's steps need. Without the request's time: a retried request sends the same input."""
    return {
        "store_id": store_id,
        "order_id": order_id,
        "fulfilment": {
            "id": fulfilment.fulfilment_id,
            "lines": [
                {"product": x.product_slug, "variant": x.variant_id, "quantity": x.quantity} for x in fulfilment.lines
            ],
            "by": fulfilment.by,
            "carrier": fulfilment.carrier,
            "tracking_number": fulfilment.tracking_number,
            "tracking_url": fulfilment.tracking_url,
        },
    }


ENDED_BADLY = frozenset({"FAILED", "TIMED_OUT", "ABORTED"})


@dataclass(frozen=True, slots=True)
class FulfilmentRun:
    """One execution of the workflow, as DescribeExecution tells it."""

    store_id: str
    order_id: str
    fulfilment: Fulfilment  # as requested; created_at is when the execution started
    status: str  # RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE
    error: str | None
    cause: str | None
    stopped_at: int | None  # epoch seconds

    @property
    def ended_badly(self) -> bool:
        return self.status in ENDED_BADLY


class FulfilmentWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def _execution_arn(self, name: str) -> str:
        return self.state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"

    def find(self, fulfilment_id: str) -> FulfilmentRun | None:
        """The execution named after the fulfilment, or None if the workflow never started one."""
        sfn = client("stepfunctions")
        try:
            execution = sfn.describe_execution(executionArn=self._execution_arn(fulfilment_id))
        except (sfn.exceptions.ExecutionDoesNotExist, sfn.exceptions.InvalidArn):
            return None
        data = json.loads(execution["input"])
        stopped = execution.get("stopDate")
        return FulfilmentRun(
            store_id=str(data["store_id"]),
            order_id=str(data["order_id"]),
            fulfilment=fulfilment_from_input(data["fulfilment"], execution["startDate"].timestamp()),
            status=str(execution["status"]),
            error=execution.get("error"),
            cause=execution.get("cause"),
            stopped_at=None if stopped is None else int(stopped.timestamp()),
        )

    def start(self, store_id: str, order_id: str, fulfilment: Fulfilment) -> None:
        sfn = client("stepfunctions")
        payload = execution_input(store_id, order_id, fulfilment)
        name = fulfilment.fulfilment_id
        try:
            sent = {**payload, correlation.KEY: correlation.current_or_new()}
            sfn.start_execution(stateMachineArn=self.state_machine_arn, name=name, input=json.dumps(sent))
        except sfn.exceptions.ExecutionAlreadyExists:
            execution = sfn.describe_execution(executionArn=self._execution_arn(name))
            started = {k: v for k, v in json.loads(execution["input"]).items() if k != correlation.KEY}
            if started != payload:  # the same fulfilment asked again (a retry carries another request's id)
                raise Conflict(
                    "this Idempotency-Key started another fulfilment of the order", field="Idempotency-Key"
                ) from None
            if execution["status"] in ENDED_BADLY:
                why = execution.get("cause") or execution.get("error") or execution["status"].lower()
                raise Conflict(
                    f"the fulfilment this Idempotency-Key started did not go through ({why}); nothing was shipped, "
                    "send it again with a new key",
                    field="Idempotency-Key",
                ) from None
