"""The local functions process honours a function's dead-letter queue as Lambda does for asynchronous
invocations: after the first attempt and two retries fail, the event goes to the queue with the error."""

from __future__ import annotations

import time
from typing import Any

import pytest

from localcloud import gateway
from localcloud.authorizers import RouteAuthorizers
from localcloud.routes import RouteTable
from localcloud.workers import CodeWatcher, Outcome

pytestmark = pytest.mark.unit
QUEUE = "arn:aws:sqs:us-east-1:123456789012:nozzly-BackgroundJobFailures"


class FailingPool:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def invoke(self, event: Any, generation: int, patience: float = 0.0) -> Outcome:
        self.calls += 1
        if self.calls <= self.failures:
            return Outcome(None, {"errorType": "RuntimeError", "errorMessage": f"attempt {self.calls} failed"})
        return Outcome("null", None)


class FakeSqs:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def get_queue_url(self, QueueName: str) -> dict[str, str]:
        return {"QueueUrl": f"http://sqs/{QueueName}"}

    def send_message(self, **message: Any) -> None:
        self.sent.append(message)


def _cloud(pool: FailingPool, sqs: FakeSqs) -> gateway.LocalCloud:
    return gateway.LocalCloud(
        routes=RouteTable([]),
        pools={"CartCleanup": pool},  # type: ignore[dict-item]
        by_name={},
        cors={},
        watcher=CodeWatcher(),
        schedules=[],
        auth=RouteAuthorizers({}, {}),
        dead_letters={"CartCleanup": QUEUE},
        sqs=sqs,
    )


def _settle(pool: FailingPool, calls: int) -> None:
    deadline = time.monotonic() + 10
    while pool.calls < calls and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # the send after the last attempt


def test_an_event_failing_every_attempt_lands_on_the_functions_dead_letter_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gateway, "ASYNC_RETRIES", (0.0, 0.0))
    pool, sqs = FailingPool(failures=3), FakeSqs()
    _cloud(pool, sqs).invoke_async("CartCleanup", {"source": "aws.events", "detail-type": "Scheduled Event"})
    _settle(pool, 3)

    assert pool.calls == 3
    [message] = sqs.sent
    assert message["QueueUrl"] == "http://sqs/nozzly-BackgroundJobFailures"
    assert '"detail-type": "Scheduled Event"' in message["MessageBody"]
    assert message["MessageAttributes"]["ErrorMessage"]["StringValue"] == "attempt 3 failed"


def test_an_event_that_succeeds_on_a_retry_is_not_dead_lettered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway, "ASYNC_RETRIES", (0.0, 0.0))
    pool, sqs = FailingPool(failures=2), FakeSqs()
    _cloud(pool, sqs).invoke_async("CartCleanup", {})
    _settle(pool, 3)

    assert (pool.calls, sqs.sent) == (3, [])
