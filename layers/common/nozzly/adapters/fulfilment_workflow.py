"""The "fulfil order" workflow (FulfilmentStateMachine): one execution per fulfilment, named after it.

Starting it again with the same input starts nothing new; the same name with another input (the same
Idempotency-Key sent with another body) is refused.
"""

from __future__ import annotations

import json
from typing import Any

from nozzly.adapters.aws import client
from nozzly.domain.errors import Conflict
from nozzly.domain.orders import Fulfilment


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


class FulfilmentWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, store_id: str, order_id: str, fulfilment: Fulfilment) -> None:
        sfn = client("stepfunctions")
        payload = execution_input(store_id, order_id, fulfilment)
        name = fulfilment.fulfilment_id
        try:
            sfn.start_execution(stateMachineArn=self.state_machine_arn, name=name, input=json.dumps(payload))
        except sfn.exceptions.ExecutionAlreadyExists:
            arn = self.state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"
            execution = sfn.describe_execution(executionArn=arn)
            if json.loads(execution["input"]) != payload:
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
