"""A bus event becomes one delivery per endpoint of its store that wants it, each enqueued once.

The delivery's id comes from the bus event's id, and its write is conditional: when EventBridge delivers
the same event again (its retries are at least once) nothing is recorded or enqueued twice. A delivery that
was recorded but not marked enqueued (the function failed in between) is enqueued on the retry, so an event
is never lost between; should both messages exist, the sender drops the stale one (its attempt count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nozzly.webhooks.adapters.deliveries import DeliveriesRepository
from nozzly.webhooks.adapters.endpoints import EndpointsRepository
from nozzly.webhooks.adapters.queue import DeliveryQueue
from nozzly.webhooks.domain.catalogue import event_type_of
from nozzly.webhooks.domain.deliveries import Delivery, Status, delivery_id
from nozzly.webhooks.domain.payloads import body_bytes, payload


@dataclass(frozen=True)
class Dispatcher:
    endpoints: EndpointsRepository
    deliveries: DeliveriesRepository
    queue: DeliveryQueue

    def dispatch(self, event: Mapping[str, Any]) -> int:
        """Enqueues the event for every interested endpoint; returns how many deliveries it enqueued."""
        event_type = event_type_of(str(event.get("detail-type", "")))
        detail = event.get("detail") or {}
        store_id = detail.get("store_id")
        if event_type is None or not store_id:
            return 0
        created_at = str(event["time"])
        when = datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp()
        body = body_bytes(payload(event_type, str(event["id"]), created_at, detail)).decode()
        enqueued = 0
        for endpoint in self.endpoints.of_store(str(store_id)):
            if not endpoint.wants(event_type):
                continue
            delivery = Delivery(
                store_id=endpoint.store_id,
                endpoint_id=endpoint.endpoint_id,
                delivery_id=delivery_id(str(event["id"]), endpoint.endpoint_id),
                event_type=event_type,
                body=body,
                created_at=when,
                next_attempt_at=when,
            )
            if not self.deliveries.create(delivery):
                existing = self.deliveries.get(delivery.store_id, delivery.endpoint_id, delivery.delivery_id)
                if existing is None or existing.enqueued or existing.status is not Status.PENDING:
                    continue  # already on its way (or done): the queue has it
            self.queue.enqueue(endpoint.store_id, endpoint.endpoint_id, delivery.delivery_id)
            self.deliveries.mark_enqueued(delivery)
            enqueued += 1
        return enqueued
