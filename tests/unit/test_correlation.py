"""The correlation id: which id an invocation works under, and that the handler never sees it."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.kernel.adapters import correlation

pytestmark = pytest.mark.unit


def http(headers: dict[str, str]) -> dict[str, Any]:
    return {"headers": headers, "requestContext": {"requestId": "Ab1Cd2Ef3Gh="}, "body": "{}"}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "Ab1Cd2Ef3Gh="),
        ({"x-correlation-id": "erp-order-77821"}, "erp-order-77821"),
        ({"X-Correlation-Id": "erp-order-77821"}, "erp-order-77821"),
        ({"x-correlation-id": "short"}, "Ab1Cd2Ef3Gh="),  # too short to find again
        ({"x-correlation-id": 'x" forged\nlevel=ERROR'}, "Ab1Cd2Ef3Gh="),  # would forge a log line
        ({"x-correlation-id": "a" * 65}, "Ab1Cd2Ef3Gh="),
    ],
)
def test_an_http_request_works_under_the_callers_well_formed_id_or_api_gateways(
    headers: dict[str, str], expected: str
) -> None:
    event = http(headers)
    assert correlation.split(event) == (event, expected)


def test_a_workflow_task_gets_its_payload_without_the_id() -> None:
    payload = {"step": "reserve", "store_id": "shop", "checkout_id": "c-1", "correlation_id": "req-12345678"}
    assert correlation.split(payload) == ({"step": "reserve", "store_id": "shop", "checkout_id": "c-1"}, "req-12345678")
    assert "correlation_id" in payload  # the caller's event is left as it was


def test_an_event_consumer_gets_the_detail_without_the_id() -> None:
    event = {"detail-type": "OrderPlaced", "id": "e-1", "detail": {"store_id": "shop", "correlation_id": "req-1"}}
    handed = {"detail-type": "OrderPlaced", "id": "e-1", "detail": {"store_id": "shop"}}
    assert correlation.split(event) == (handed, "req-1")


@pytest.mark.parametrize("event", [{"Records": []}, {"detail-type": "Scheduled Event", "detail": {}}, [], "text"])
def test_work_that_carries_no_id_runs_without_one(event: Any) -> None:
    assert correlation.split(event) == (event, None)


def test_events_published_while_working_carry_the_id_and_only_then() -> None:
    assert correlation.stamped({"store_id": "shop"}) == {"store_id": "shop"}
    with correlation.bound("req-12345678"):
        assert correlation.stamped({"store_id": "shop"}) == {"store_id": "shop", "correlation_id": "req-12345678"}
        assert correlation.current_or_new() == "req-12345678"
    assert correlation.current() is None
    assert correlation.current_or_new() != correlation.current_or_new()  # work started here gets a fresh id
