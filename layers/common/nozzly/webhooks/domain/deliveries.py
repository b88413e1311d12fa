"""One event to one endpoint: its attempts, outcome and the next try.

The delivery's id is `msg_` + the bus event's id + the endpoint's id, so it is the same `webhook-id` on every
retry, and a redelivered bus event finds its delivery already there (the write is conditional).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from nozzly.webhooks.domain.schedule import MAX_ATTEMPTS, next_delay


class Status(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    store_id: str
    endpoint_id: str
    delivery_id: str  # the webhook-id
    event_type: str
    body: str  # the exact JSON sent and signed
    created_at: float
    status: Status = Status.PENDING
    attempts: int = 0
    response_code: int | None = None
    latency_ms: int | None = None
    last_error: str = ""
    next_attempt_at: float | None = None
    enqueued: bool = False  # the dispatcher's first message was sent (a bus retry then sends none)


def delivery_id(event_id: str, endpoint_id: str) -> str:
    digest = hashlib.sha256(f"{event_id}|{endpoint_id}".encode()).hexdigest()[:26]
    return f"msg_{digest}"


def is_success(code: int | None) -> bool:
    """2xx only: a redirect is not followed, so it is a failure."""
    return code is not None and 200 <= code < 300


def attempted(
    delivery: Delivery, now: float, *, code: int | None, latency_ms: int | None, error: str, scale: float = 1.0
) -> Delivery:
    attempts = delivery.attempts + 1
    if is_success(code):
        return replace(
            delivery,
            status=Status.SUCCEEDED,
            attempts=attempts,
            response_code=code,
            latency_ms=latency_ms,
            last_error="",
            next_attempt_at=None,
        )
    delay = next_delay(attempts, scale) if attempts < MAX_ATTEMPTS else None
    return replace(
        delivery,
        status=Status.PENDING if delay is not None else Status.FAILED,
        attempts=attempts,
        response_code=code,
        latency_ms=latency_ms,
        last_error=error[:300],
        next_attempt_at=now + delay if delay is not None else None,
    )


def exhausted(delivery: Delivery) -> bool:
    return delivery.status is Status.FAILED


def redelivery(delivery: Delivery, now: float) -> Delivery:
    """A manual redelivery: a fresh set of attempts, same webhook-id and body."""
    return replace(delivery, status=Status.PENDING, attempts=0, last_error="", next_attempt_at=now)
