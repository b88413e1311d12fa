"""One queued attempt: check the URL again, sign, POST, record, and schedule the next or give up.

Waits longer than SQS's 15-minute message delay are made of several hops: a message that arrives before its
delivery is due is sent back with the remaining delay (at most 900 s). Chosen over a Step Functions Wait per
delivery because it needs no state machine execution per event (cheaper at volume, one moving part), and a
hop costs one SQS message; the price is up to ~100 hops for the last 24 h wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.url_safety import Resolver, check_url
from nozzly.observability import logger
from nozzly.webhooks.adapters.deliveries import DeliveriesRepository
from nozzly.webhooks.adapters.endpoints import EndpointsRepository
from nozzly.webhooks.adapters.http_post import Outcome
from nozzly.webhooks.adapters.queue import DeliveryQueue
from nozzly.webhooks.domain import endpoints as ep
from nozzly.webhooks.domain.deliveries import Delivery, Status, attempted, exhausted
from nozzly.webhooks.domain.schedule import should_disable, sqs_delay
from nozzly.webhooks.domain.signing import signed_headers


class Poster(Protocol):
    def __call__(self, url: str, address: str, body: bytes, headers: dict[str, str]) -> Outcome: ...


class Notifier(Protocol):
    def endpoint_disabled(self, endpoint: ep.Endpoint) -> None: ...


@dataclass(frozen=True)
class Sender:
    endpoints: EndpointsRepository
    deliveries: DeliveriesRepository
    queue: DeliveryQueue
    resolve: Resolver
    post: Poster
    notifier: Notifier
    allow_loopback_http: bool
    backoff_scale: float = 1.0
    clock: Callable[[], float] = field(default=time.time)

    def handle(self, store_id: str, endpoint_id: str, delivery_id: str, attempt: int) -> None:
        delivery = self.deliveries.get(store_id, delivery_id=delivery_id, endpoint_id=endpoint_id)
        if delivery is None or delivery.status is not Status.PENDING or delivery.attempts != attempt:
            return  # done, given up, or a stale duplicate: another message carries this delivery
        endpoint = self.endpoints.get(store_id, endpoint_id)
        if endpoint is None or not endpoint.enabled:
            return  # deleted or disabled: the delivery stays pending, redeliverable once enabled
        now = self.clock()
        due_in = (delivery.next_attempt_at or now) - now
        if due_in > 0:
            self.queue.enqueue(store_id, endpoint_id, delivery_id, attempt=attempt, delay_seconds=sqs_delay(due_in))
            return
        outcome = self._attempt(endpoint, delivery)
        after = attempted(
            delivery,
            now,
            code=outcome.status,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
            scale=self.backoff_scale,
        )
        if not self.deliveries.record(delivery, after):
            return  # a concurrent duplicate recorded this attempt first
        self._account(endpoint, after, now)
        if after.status is Status.PENDING and after.next_attempt_at is not None:
            delay = sqs_delay(after.next_attempt_at - now)
            self.queue.enqueue(store_id, endpoint_id, delivery_id, attempt=after.attempts, delay_seconds=delay)

    def _attempt(self, endpoint: ep.Endpoint, delivery: Delivery) -> Outcome:
        addresses: list[str] = []

        def remembered(host: str, port: int) -> list[str]:
            addresses.extend(self.resolve(host, port))
            return addresses

        try:  # again at every delivery: DNS may now answer a private address
            check_url(endpoint.url, remembered, allow_loopback_http=self.allow_loopback_http)
        except InvalidInput as refused:
            return Outcome(None, 0, f"refused: {refused.message}")
        body = delivery.body.encode()
        headers = signed_headers(endpoint.secret, delivery.delivery_id, body, datetime.fromtimestamp(self.clock(), UTC))
        return self.post(endpoint.url, addresses[0], body, headers)

    def _account(self, endpoint: ep.Endpoint, after: Delivery, now: float) -> None:
        latest = self.endpoints.get(endpoint.store_id, endpoint.endpoint_id)
        if latest is None:
            return
        if after.status is Status.SUCCEEDED:
            changed = ep.succeeded(latest)
        else:
            changed = ep.failed(latest, now, delivery_exhausted=exhausted(after))
        if changed != latest:
            self.endpoints.set_streak(changed)
        if (
            after.status is not Status.SUCCEEDED
            and changed.enabled
            and should_disable(changed.failed_deliveries, changed.streak_started_at, now, self.backoff_scale)
        ):
            off = ep.disabled(changed, f"every attempt failed since {_iso(changed.streak_started_at)}")
            if self.endpoints.disable(off):  # the one sender that disables it emails the owner
                logger.warning("webhook endpoint disabled", extra={"endpoint_id": endpoint.endpoint_id})
                self.notifier.endpoint_disabled(off)


def _iso(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch or 0, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
