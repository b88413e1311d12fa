"""The local Lambda's instances (localcloud/workers.py): a synchronous answer over Lambda's 6 MB limit fails as on
Lambda (Function.ResponseSizeTooLarge, which API Gateway turns into a 500) while one at the limit arrives whole,
an instance left unused for IDLE_SECONDS is stopped, so the next request starts a fresh one, and an asynchronous
event waits a moment for a busy instance rather than start another."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from localcloud.template import FunctionSpec
from localcloud.workers import ASYNC_SCALE_OUT_S, IDLE_SECONDS, RESPONSE_LIMIT, FunctionPool, Outcome

pytestmark = pytest.mark.functional

HANDLER = """
import os

def handler(event, context):
    return "x" * event["size"] if "size" in event else os.getpid()
"""


@pytest.fixture
def pool(tmp_path: Path) -> FunctionPool:
    (tmp_path / "app.py").write_text(HANDLER)
    spec = FunctionSpec("Big", tmp_path, "app.handler", timeout=30, memory=128, environment={})
    return FunctionPool(spec, "big", {"PATH": "/usr/bin:/bin"}, "arn:aws:lambda:us-east-1:123456789012:function:big", 1)


def test_an_answer_over_six_megabytes_is_lambdas_size_error_and_one_at_the_limit_arrives(pool: FunctionPool) -> None:
    try:
        fits = RESPONSE_LIMIT - 2  # the JSON string's two quotes count
        at_limit = pool.invoke({"size": fits}, generation=0)
        too_big = pool.invoke({"size": fits + 1}, generation=0)
    finally:
        pool.stop()

    assert at_limit.error is None
    assert len(json.loads(at_limit.result or '""')) == fits
    assert too_big.result is None
    assert too_big.error is not None
    assert too_big.error["errorType"] == "Function.ResponseSizeTooLarge"
    assert f"({RESPONSE_LIMIT + 1} bytes)" in too_big.error["errorMessage"]


def test_an_instance_unused_for_the_idle_time_is_stopped_and_the_next_request_starts_a_new_one(
    pool: FunctionPool,
) -> None:
    try:
        first = pool.invoke({}, generation=0).result
        assert pool.reap(time.monotonic() + IDLE_SECONDS / 2) == 0  # recently used: kept warm
        assert pool.invoke({}, generation=0).result == first
        worker = pool.idle[0]

        assert pool.reap(time.monotonic() + IDLE_SECONDS) == 1
        assert not worker.alive
        assert (pool.instances, pool.idle) == (0, [])
        assert pool.invoke({}, generation=0).result != first  # a fresh process answered
    finally:
        pool.stop()


def test_async_events_wait_for_a_busy_instance_rather_than_start_another_and_the_wait_is_not_billed(
    tmp_path: Path,
) -> None:
    (tmp_path / "app.py").write_text(
        "import os, time\ndef handler(event, context):\n    time.sleep(event['sleep'])\n    return os.getpid()\n"
    )
    spec = FunctionSpec("Consumer", tmp_path, "app.handler", timeout=30, memory=128, environment={})
    pool = FunctionPool(spec, "consumer", {"PATH": "/usr/bin:/bin"}, "arn:aws:lambda:us-east-1:1:function:c", 4)
    calls: list[tuple[Outcome, float]] = []

    def event() -> None:
        began = time.perf_counter()
        outcome = pool.invoke({"sleep": 0.2}, generation=0, patience=ASYNC_SCALE_OUT_S)
        calls.append((outcome, (time.perf_counter() - began) * 1000))

    try:
        pool.invoke({"sleep": 0}, generation=0)  # the first instance, warm
        three = [threading.Thread(target=event) for _ in range(3)]
        for thread in three:
            thread.start()
        for thread in three:
            thread.join()
        instances = pool.instances
    finally:
        pool.stop()

    assert instances == 1  # three events 0.2 s each, one instance: nobody waited ASYNC_SCALE_OUT_S
    assert len({outcome.result for outcome, _ in calls}) == 1
    last, waited_longest = max(calls, key=lambda call: call[1])
    assert waited_longest - last.billed_ms > 250  # it queued behind two 200 ms runs; Lambda bills only its own
    assert last.billed_ms >= 200
