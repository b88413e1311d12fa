"""The deliveries queue: one message per attempt due, `{"store", "endpoint", "delivery", "attempt"}`.

`attempt` is how many attempts the delivery had when the message was sent: the sender drops a message whose
delivery has moved on (a duplicate from an EventBridge retry, or a stale one after a manual redelivery).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from nozzly.kernel.adapters.aws import client


@dataclass(frozen=True)
class DeliveryQueue:
    url: str

    def enqueue(
        self, store_id: str, endpoint_id: str, delivery_id: str, *, attempt: int = 0, delay_seconds: int = 0
    ) -> None:
        message = {"store": store_id, "endpoint": endpoint_id, "delivery": delivery_id, "attempt": attempt}
        client("sqs").send_message(
            QueueUrl=self.url,
            MessageBody=json.dumps(message),
            DelaySeconds=delay_seconds,
        )
