"""The sender's hops: a delivery due later than SQS's 15-minute delay is sent back until it is due."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from nozzly.webhooks.adapters.http_post import Outcome
from nozzly.webhooks.domain.deliveries import Delivery, Status
from nozzly.webhooks.domain.endpoints import Endpoint, new_secret
from nozzly.webhooks.services.sender import Sender


@dataclass
class Fakes:
    delivery: Delivery
    endpoint: Endpoint
    enqueued: list[tuple[int, int]] = field(default_factory=list)  # (attempt, delay)
    posts: list[str] = field(default_factory=list)

    def get(self, store_id: str, *args: Any, **kwargs: Any) -> Any:
        return self.delivery if kwargs.get("delivery_id") else self.endpoint

    def record(self, before: Delivery, after: Delivery) -> bool:
        self.delivery = after
        return True

    def set_streak(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def disable(self, endpoint: Endpoint) -> bool:
        self.endpoint = endpoint
        return True

    def enqueue(self, store_id: str, endpoint_id: str, delivery_id: str, *, attempt: int, delay_seconds: int) -> None:
        self.enqueued.append((attempt, delay_seconds))

    def post(self, url: str, address: str, body: bytes, headers: dict[str, str]) -> Outcome:
        self.posts.append(headers["webhook-id"])
        return Outcome(500, 3, "HTTP 500")

    def endpoint_disabled(self, endpoint: Endpoint) -> None:
        pass


def sender(fakes: Fakes, now: float) -> Sender:
    repo = cast(Any, fakes)
    return Sender(
        endpoints=repo,
        deliveries=repo,
        queue=repo,
        resolve=lambda host, port: ["93.184.216.34"],
        post=fakes.post,
        notifier=repo,
        allow_loopback_http=False,
        clock=lambda: now,
    )


def fakes(next_attempt_at: float, attempts: int = 3) -> Fakes:
    delivery = Delivery(
        "s", "ep_1", "msg_1", "order.placed", "{}", 0.0, Status.PENDING, attempts, next_attempt_at=next_attempt_at
    )
    return Fakes(
        delivery,
        Endpoint("s", "ep_1", "https://h.example.com/in", ("order.placed",), new_secret(), "2026-12-04"),
    )


def test_a_message_early_by_two_hours_goes_back_for_fifteen_minutes_without_a_post() -> None:
    f = fakes(next_attempt_at=7200.0)
    sender(f, now=0.0).handle("s", "ep_1", "msg_1", attempt=3)
    assert f.posts == []
    assert f.enqueued == [(3, 900)]


def test_a_due_message_is_posted_and_the_next_attempt_is_scheduled_with_the_same_webhook_id() -> None:
    f = fakes(next_attempt_at=100.0)
    sender(f, now=100.0).handle("s", "ep_1", "msg_1", attempt=3)
    assert f.posts == ["msg_1"]
    assert f.delivery.attempts == 4
    assert f.enqueued == [(4, 900)]  # the 4th failure waits 2 h: the first hop of 15 minutes


def test_a_stale_duplicate_message_does_nothing() -> None:
    f = fakes(next_attempt_at=100.0)
    sender(f, now=100.0).handle("s", "ep_1", "msg_1", attempt=2)
    assert (f.posts, f.enqueued) == ([], [])
