"""StoreActivity: each store event from the bus becomes one line of the store's recent activity, a redelivered
event still one; the feed reads the newest 20 in one DynamoDB call, newest first, and other stores' lines never."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.functional.harness import STORE, Cloud

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = 1_764_800_000  # 2025-12-03T22:13:20Z


def bus_event(n: int, detail_type: str = "OrderPlaced", store: str = STORE, **detail: Any) -> dict[str, Any]:
    """An EventBridge event as a rule hands it to Lambda: `time` to the second, a unique `id`."""
    return {
        "version": "0",
        "id": f"0b1c2d3e-0000-4000-8000-{n:012d}",
        "detail-type": detail_type,
        "source": "nozzly.checkout" if detail_type == "OrderPlaced" else "nozzly.orders",
        "account": "123456789012",
        "time": datetime.fromtimestamp(BASE + n * 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-west-1",
        "resources": [],
        "detail": {"store_id": store, "order_id": f"chk-{n}", "order_number": 1000 + n} | detail,
    }


def _lines(cloud: Cloud) -> list[dict[str, Any]]:
    return [i for i in cloud.all_items("AnalyticsTable") if i["sk"]["S"].startswith("ACTIVITY#")]


def _recent(cloud: Cloud, store: str = STORE, limit: int = 20) -> Any:
    cloud.apply_environment(cloud.environments["StoreActivity"])
    from nozzly.wiring import analytics

    return analytics.activity_feed().recent(store, limit)


def test_an_event_becomes_one_line_and_its_redelivery_rewrites_it(cloud: Cloud) -> None:
    event = bus_event(1, "PaymentReceived", amount=4400, currency="EUR", by="system")

    assert cloud.invoke("StoreActivity", event) == {"kind": "payment_received"}
    cloud.invoke("StoreActivity", event)  # EventBridge delivers at least once

    (line,) = _lines(cloud)
    assert line["pk"]["S"] == STORE
    assert line["sk"]["S"] == f"ACTIVITY#{(BASE + 60) * 1000:013d}#{event['id']}"
    assert line["text"]["S"] == "Payment received for order #1001 — €44.00"
    assert (line["kind"]["S"], line["ref"]["S"]) == ("payment_received", "chk-1")
    assert int(line["expires_at"]["N"]) == BASE + 60 + 30 * 86_400


def test_events_the_feed_leaves_out_write_nothing(cloud: Cloud) -> None:
    assert cloud.invoke("StoreActivity", bus_event(1, "CatalogChanged")) == {"kind": None}
    assert cloud.invoke("StoreActivity", bus_event(2, "OrderStatusChanged", to="cancelled")) == {"kind": None}
    assert _lines(cloud) == []


def test_recent_is_the_newest_twenty_newest_first_in_one_query(cloud: Cloud) -> None:
    from nozzly.kernel.adapters import aws

    for n in (3, 1, 25, 2, *range(4, 25)):  # delivered out of order
        cloud.invoke("StoreActivity", bus_event(n))
    cloud.invoke("StoreActivity", bus_event(99, store="another-store"))
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    recent = _recent(cloud)

    assert calls == ["Query"]
    assert [a.text for a in recent[:3]] == ["Order #1025 placed", "Order #1024 placed", "Order #1023 placed"]
    assert len(recent) == 20 and recent[-1].text == "Order #1006 placed"
    assert [a.at for a in recent] == sorted((a.at for a in recent), reverse=True)
    assert [a.text for a in _recent(cloud, "another-store")] == ["Order #1099 placed"]
