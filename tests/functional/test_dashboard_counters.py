"""Live dashboard figures: once SalesAnalytics has applied an order's change, the store's figures go out as a
DashboardCounters event, and RealtimeNotifier pushes them to the own rooms of the operators who may see revenue;
staff and the shared operators room get no revenue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from nozzly.kernel.adapters.events import EventPublisher
from tests.functional.harness import STORE, Cloud
from tests.functional.order_helpers import RecordingGateway, paid_by_card, place_order
from tests.functional.test_carts import guest_cart
from tests.functional.test_order_refunds import ADMIN, OWNER, STAFF, TOTAL
from tests.functional.test_order_refunds import shop as shop  # noqa: PLC0414  # the fixture, reused
from tests.functional.test_realtime import Connections, operator, subscribe
from tests.functional.test_realtime import wire as wire  # noqa: PLC0414  # the fixture, reused
from tests.functional.test_sales_dashboard import Stream, dashboard
from tests.functional.test_sales_dashboard import gateway as gateway  # noqa: PLC0414  # the fixture, reused
from tests.functional.test_sales_dashboard import stream as stream  # noqa: PLC0414  # the fixture, reused

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def counters(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The DashboardCounters details handed to EventBridge, in order."""
    published: list[dict[str, Any]] = []
    original = EventPublisher.publish_all

    def recording(self: EventPublisher, source: str, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
        published.extend(d for t, d in events if t == "DashboardCounters")
        original(self, source, events)

    monkeypatch.setattr(EventPublisher, "publish_all", recording)
    return published


def pushed(cloud: Cloud, detail: dict[str, Any]) -> dict[str, Any]:
    event = {"detail-type": "DashboardCounters", "source": "nozzly.analytics", "time": "2026-12-04T12:00:00Z"}
    answer: dict[str, Any] = cloud.invoke("RealtimeNotifier", event | {"detail": detail})
    return answer


def test_a_paid_order_pushes_the_figures_the_dashboard_reads_to_those_who_may_see_revenue(
    shop: Cloud,
    stream: Stream,
    gateway: RecordingGateway,
    wire: Connections,
    counters: list[dict[str, Any]],
) -> None:
    for connection, sub in (("c-owner", OWNER), ("c-admin", ADMIN), ("c-staff", STAFF)):
        operator(shop, connection, sub)
        assert subscribe(shop, connection, f"operator:{STORE}:{sub}")["type"] == "subscribed"
    assert subscribe(shop, "c-staff", f"store:{STORE}:operators")["type"] == "subscribed"

    paid_by_card(shop, place_order(guest_cart(shop)))
    stream.drain()

    assert counters, "no DashboardCounters after the order's changes were applied"
    assert {d["store_id"] for d in counters} == {STORE}
    latest = counters[-1]
    read = dashboard(shop).body
    assert latest["revenue"] == read["revenue"]  # the very figures GET .../dashboard answers
    assert latest["pipeline"] == read["pipeline"]
    assert latest["today"] == datetime.now(UTC).date().isoformat() and latest["currency"] == "EUR"
    today = latest["revenue"]["today"]["current"]
    assert (today["orders"], today["gross_sales"]["amount"], today["gross_sales"]["currency"]) == (1, TOTAL, "EUR")
    applied = len(counters)

    assert pushed(shop, latest) == {"rooms": 2, "delivered": 2, "pruned": 0, "failed": 0}
    for connection in ("c-owner", "c-admin"):
        [message] = wire.sent[connection]
        assert (message["type"], message["store"], message["v"]) == ("DashboardCounters", STORE, 1)
        assert message["data"] == {k: latest[k] for k in ("today", "currency", "revenue", "pipeline")}
    assert "c-staff" not in wire.sent  # staff: neither their own room nor the store's operators room
    stream.drain()  # nothing new on the stream: no figure moved, nothing more is announced
    assert len(counters) == applied
