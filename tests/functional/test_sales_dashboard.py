"""The dashboard and reports over real orders: placed through the checkout, paid, refunded and cancelled through
the operator routes, their changes fed to SalesAnalytics by the template's stream mapping; replays change no
figure, the nightly repair catches what the stream lost, and the dashboard's reads do not grow with the orders."""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.streams import Poller, mappings
from localcloud.template import LOCAL_PARAMETERS, transformed
from tests.functional.analytics_helpers import dashboard_calls, seed_orders
from tests.functional.auth_helpers import api_event
from tests.functional.fulfilment_helpers import operator_call
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.order_helpers import RecordingGateway, paid_by_card, place_order, use_gateway
from tests.functional.store_helpers import claims
from tests.functional.test_carts import guest_cart
from tests.functional.test_order_refunds import ADMIN, OWNER, STAFF, STRANGER, TOTAL, refund
from tests.functional.test_order_refunds import shop as shop  # noqa: PLC0414  # the fixture, reused

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def today() -> str:
    """The store's today (its zone is UTC): read when asked, so a run across midnight agrees with the handler."""
    return datetime.now(UTC).date().isoformat()


@dataclass
class Stream:
    cloud: Cloud
    poller: Poller
    delivered: list[dict[str, Any]] = field(default_factory=list)

    def drain(self) -> None:
        def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
            try:
                result = self.cloud.invoke("SalesAnalytics", event)
            except Exception:
                return {"errorType": "Unhandled", "stackTrace": traceback.format_exc()}, "Unhandled"
            self.delivered.extend(event["Records"])
            return result, None

        self.poller.drain(invoke)

    def skip(self) -> None:
        """Read and drop what is waiting: records lost, as a batch given up after its retries is."""
        self.poller.drain(lambda event: ({"batchItemFailures": []}, None))


@pytest.fixture
def stream(shop: Cloud) -> Iterator[Stream]:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    (mapping,) = [
        m for m in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))) if m.logical_id.startswith("SalesAnalytics")
    ]
    yield Stream(shop, Poller(mapping, shop.client))


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    return use_gateway(monkeypatch, RecordingGateway())


def get(cloud: Cloud, path: str, sub: str | None = OWNER, query: str = "", accept: str | None = None) -> Any:
    event = api_event(
        f"GET /admin/stores/{{store}}{path}", path_parameters={"store": STORE}, claims=claims(sub) if sub else None
    )
    if query:
        event["rawQueryString"] = query
        event["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    if accept:
        event["headers"]["accept"] = accept
    return cloud.invoke("Dashboard", event)


def dashboard(cloud: Cloud, sub: str = OWNER) -> HttpResponse:
    raw = get(cloud, "/dashboard", sub)
    return HttpResponse(raw["statusCode"], raw.get("headers", {}), json.loads(raw["body"]))


def figures(cloud: Cloud) -> dict[str, Any]:
    """What an owner reads: today's revenue, the pipeline, customers, the top seller by units."""
    found = dashboard(cloud)
    assert found.status == 200, found.body
    body = found.body
    today = body["revenue"]["today"]["current"]
    return {
        "net": today["net_sales"]["amount"],
        "gross": today["gross_sales"]["amount"],
        "refunds": today["refunds"]["amount"],
        "voided": today["voided"]["amount"],
        "orders": today["orders"],
        "pipeline": {k: v for k, v in body["pipeline"].items() if v},
        "customers": body["customers"]["total"],
        "top": [(p["product"], p["units"]) for p in body["top_sellers"]["by_units"]],
    }


def test_the_owner_sees_sales_refunds_and_voided_orders_of_today(
    shop: Cloud, stream: Stream, gateway: RecordingGateway
) -> None:
    paid = place_order(guest_cart(shop))
    paid_by_card(shop, paid)
    cash = place_order(guest_cart(shop), quantity=2)
    stream.drain()
    assert refund(shop, paid, 2500, "refund-key-1").status == 201
    assert operator_call(shop, "POST /status", cash, body={"status": "cancelled", "note": "phoned"}).status == 200
    stream.drain()

    seen = figures(shop)
    assert seen["orders"] == 2
    assert seen["gross"] == TOTAL + seen["voided"]
    assert seen["refunds"] == 2500
    assert seen["net"] == TOTAL - 2500  # the cash order was cancelled before it was paid
    assert seen["pipeline"] == {"pending": 1, "cancelled": 1}
    assert seen["customers"] == 1  # one email
    assert seen["top"] == [("ember-longsword", 1)]  # the cancelled order's two are taken back


def test_replayed_and_reordered_stream_records_change_no_figure(
    shop: Cloud, stream: Stream, gateway: RecordingGateway
) -> None:
    order = place_order(guest_cart(shop))
    paid_by_card(shop, order)
    assert refund(shop, order, 1000, "refund-key-2").status == 201
    stream.drain()
    before = figures(shop)

    records = stream.delivered
    for batch in (records, list(reversed(records)), records[1:] + records[:1]):
        result = shop.invoke("SalesAnalytics", {"Records": batch})
        assert result == {"batchItemFailures": []}

    assert figures(shop) == before
    assert before["refunds"] == 1000 and before["orders"] == 1


def test_the_nightly_repair_counts_what_the_stream_lost_and_then_nothing(
    shop: Cloud, stream: Stream, gateway: RecordingGateway
) -> None:
    place_order(guest_cart(shop))
    stream.skip()
    assert dashboard(shop).body["pipeline"]["pending"] == 0

    assert shop.invoke("SalesAnalytics", {"detail-type": "Scheduled Event", "detail": {}})["repaired"] == 1
    assert figures(shop)["orders"] == 1
    assert shop.invoke("SalesAnalytics", {"detail-type": "Scheduled Event", "detail": {}})["repaired"] == 0
    assert figures(shop)["orders"] == 1


def test_roles_and_tenancy_decide_what_the_dashboard_and_reports_show(shop: Cloud, stream: Stream) -> None:
    place_order(guest_cart(shop))
    stream.drain()

    staff = dashboard(shop, STAFF)
    assert staff.status == 200
    assert staff.body["revenue"] is None and staff.body["top_sellers"] is None and staff.body["sales_chart"] is None
    assert staff.body["pipeline"]["pending"] == 1  # the work is theirs to see
    assert get(shop, "/reports/sales", STAFF)["statusCode"] == 403
    assert get(shop, "/reports/sales", ADMIN)["statusCode"] == 200
    assert dashboard(shop, STRANGER).status == 404  # another store's operator learns nothing, not even that it exists
    assert get(shop, "/reports/products", STRANGER)["statusCode"] == 404
    assert get(shop, "/dashboard", None)["statusCode"] == 401


def test_reports_cover_a_range_by_day_week_or_month_and_answer_csv(shop: Cloud, stream: Stream) -> None:
    place_order(guest_cart(shop), quantity=3)
    stream.drain()

    weekly = json.loads(get(shop, "/reports/sales", query="range=90d&granularity=week")["body"])
    assert weekly["range"]["last"] == today() and len(weekly["series"]) in (13, 14, 15)
    assert sum(s["orders"] for s in weekly["series"]) == weekly["totals"]["orders"] == 1
    assert weekly["series"][-1]["orders"] == 1

    products = json.loads(get(shop, "/reports/products", query="range=7d&sort=units")["body"])
    assert [(p["product"], p["title"], p["units"]) for p in products["products"]] == [
        ("ember-longsword", "Ember Longsword", 3)
    ]

    day = today()
    csv = get(shop, "/reports/sales", query=f"from={day}&to={day}", accept="text/csv")
    assert csv["headers"]["content-type"].startswith("text/csv")
    header, row = csv["body"].strip().split("\r\n")
    assert header.startswith("from,to,currency,orders,units,gross_sales")
    assert row.startswith(f"{day},{day},EUR,1,3,")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-12-10&to=2026-12-01", "from"),
        ("from=2020-01-01&to=2026-12-01", "from"),
        ("range=7d&from=2026-12-01", "range"),
        ("range=365d", "range"),
        ("granularity=hour", "granularity"),
        ("from=yesterday", "from"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_field(shop: Cloud, query: str, field: str) -> None:
    answer = get(shop, "/reports/sales", query=query)
    assert answer["statusCode"] == 400, answer
    assert field in json.dumps(json.loads(answer["body"])["error"]["fields"])


def test_the_dashboard_reads_the_same_few_items_for_10_or_10000_orders(shop: Cloud) -> None:
    seed_orders(shop, 10)
    few, _, _ = dashboard_calls(shop, OWNER)
    seed_orders(shop, 10_000, first_number=5000)
    many, large, _ = dashboard_calls(shop, OWNER)

    assert few == many <= 10
    overdue = {a["kind"]: a for a in large["attention"]}["orders_unshipped"]
    assert overdue["more"] is True and len(overdue["items"]) == 5


def test_the_product_report_shows_views_and_visitors_next_to_sales(shop: Cloud, stream: Stream) -> None:
    from tests.functional.test_storefront_events import BROWSER

    def visit(session: str, events: list[dict[str, Any]]) -> None:
        event = api_event(
            "POST /stores/{store}/events",
            path_parameters={"store": STORE},
            body={"events": events},
            headers={"user-agent": BROWSER, "x-session-id": session},
        )
        assert shop.http("StorefrontEvents", event).status == 202

    sword = {"type": "product_view", "product": "ember-longsword"}
    for n in range(4):
        visit(f"session-{n:032d}", [{"type": "page_view", "path": "/"}, sword])
    visit("session-0", [sword, {"type": "add_to_cart", "product": "ember-longsword"}])
    place_order(guest_cart(shop))
    stream.drain()

    report = json.loads(get(shop, "/reports/products", query="range=7d")["body"])
    (row,) = [p for p in report["products"] if p["product"] == "ember-longsword"]
    assert (row["units"], row["views"], row["visitors"], row["add_to_carts"]) == (1, 5, 5, 1)
    assert row["add_to_cart_percent"] == 20.0 and row["units_per_100_visitors"] == 20.0
    sales = json.loads(get(shop, "/reports/sales", query="range=7d")["body"])
    assert sales["visits"]["page_views"] == 4 and sales["visits"]["visitors"] == 5
    assert sales["visits"]["orders_per_100_visitors"] == 20.0
