"""Storefront events through the StorefrontEvents handler under moto: counted per store-local day and per product,
distinct visitors merged over days, strict bodies, robots dropped, floods throttled, stores kept apart."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse, seed_store

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
FORGE = "mystmereforge"
OTHER = "lanternworks"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# 23:30 UTC on 3 December is already 4 December in Berlin: the store's day counts.
NOW = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
BERLIN_DAY = date(2026, 12, 4)
SESSION_A = "a" * 43
SESSION_B = "b" * 43
BATCH = [
    {"type": "page_view", "path": "/"},
    {"type": "search", "query": "longsword"},
    {"type": "product_view", "product": "ember-longsword", "variant": "standard"},
    {"type": "product_view", "product": "ember-longsword"},
    {"type": "product_view", "product": "frost-sabre", "at": "2020-01-01T00:00:00Z"},  # `at` is ignored
    {"type": "add_to_cart", "product": "ember-longsword", "variant": "standard"},
    {"type": "checkout_started"},
]


def _set_timezone(cloud: Cloud, store: str, timezone: str) -> None:
    cloud.client("dynamodb").put_item(
        TableName=cloud.stores_table,
        Item={
            "pk": {"S": store}, "sk": {"S": "SETTINGS#general"}, "type": {"S": "settings"},
            "section": {"S": "general"}, "version": {"N": "1"}, "data": {"M": {"timezone": {"S": timezone}}},
        },
    )  # fmt: skip


@pytest.fixture
def shops(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Two stores with the seed catalog (Berlin and UTC); returns a setter of the service's clock."""
    from nozzly.wiring import analytics

    seed_store(cloud, FORGE)
    seed_store(cloud, OTHER)
    _set_timezone(cloud, FORGE, "Europe/Berlin")
    _set_timezone(cloud, OTHER, "UTC")
    cloud.apply_environment(cloud.environments["StorefrontEvents"])
    built = analytics.storefront_events()

    def at(when: datetime) -> None:
        service = dataclasses.replace(built, clock=when.timestamp)
        monkeypatch.setattr(analytics, "storefront_events", lambda: service)

    at(NOW)
    return at


def send(
    cloud: Cloud,
    events: list[dict[str, Any]],
    *,
    store: str = FORGE,
    session: str | None = SESSION_A,
    agent: str = BROWSER,
    ip: str = "203.0.113.10",
) -> HttpResponse:
    headers = {"user-agent": agent} | ({"x-session-id": session} if session else {})
    event = api_event(
        "POST /stores/{store}/events",
        path_parameters={"store": store},
        body={"events": events},
        headers=headers,
        source_ip=ip,
    )
    return cloud.http("StorefrontEvents", event)


def figures(cloud: Cloud, store: str = FORGE, first: date = BERLIN_DAY, last: date = BERLIN_DAY) -> Any:
    from nozzly.analytics.adapters.visits import VisitsRepository

    return VisitsRepository(cloud.names["AnalyticsTable"]).between(store, first, last)


def _visit_items(cloud: Cloud) -> list[str]:
    return [f"{i['pk']['S']}|{i['sk']['S']}" for i in cloud.all_items("AnalyticsTable")]


def test_a_batch_counts_on_the_stores_day_for_the_store_and_each_product(
    cloud: Cloud, shops: Callable[[datetime], None]
) -> None:
    answer = send(cloud, BATCH)
    assert (answer.status, answer.body) == (202, {"accepted": 7, "dropped": 0})
    assert send(cloud, BATCH[:3], session=SESSION_B).status == 202

    found = figures(cloud)
    (day,) = found.days
    assert (day.day, day.page_views, day.searches, day.product_views) == (BERLIN_DAY, 2, 2, 4)
    assert (day.add_to_carts, day.checkouts_started, day.visitors) == (1, 1, 2)
    ember = found.products["ember-longsword"]
    assert (ember.views, ember.add_to_carts, ember.visitors) == (3, 1, 2)  # both visitors viewed it
    assert (found.products["frost-sabre"].views, found.products["frost-sabre"].visitors) == (1, 1)
    assert found.visitors == 2
    assert f"{FORGE}|VISITS#2026-12-04" in _visit_items(cloud)  # Berlin's day, not UTC's 3 December
    assert f"{FORGE}|PVISITS#2026-12-04#ember-longsword" in _visit_items(cloud)
    assert figures(cloud, first=date(2026, 12, 3), last=date(2026, 12, 3)).days == []


def test_the_same_visitor_on_two_days_counts_once_over_the_range(
    cloud: Cloud, shops: Callable[[datetime], None]
) -> None:
    view = [{"type": "product_view", "product": "ember-longsword"}]
    send(cloud, view)
    shops(datetime(2026, 12, 4, 12, tzinfo=UTC))
    send(cloud, view)
    send(cloud, view, session=None, ip="198.51.100.20")  # someone without a session: their address and browser

    found = figures(cloud)
    assert [d.visitors for d in found.days] == [2]  # both batches of 4 December (Berlin)
    shops(datetime(2026, 12, 5, 12, tzinfo=UTC))
    send(cloud, view)

    found = figures(cloud, last=date(2026, 12, 5))
    assert [(d.day, d.visitors) for d in found.days] == [(BERLIN_DAY, 2), (date(2026, 12, 5), 1)]
    assert found.visitors == 2  # visitor A came on both days: counted once
    ember = found.products["ember-longsword"]
    assert (ember.views, ember.visitors) == (4, 2)


def test_bad_events_are_400_naming_the_field_and_nothing_is_written(
    cloud: Cloud, shops: Callable[[datetime], None]
) -> None:
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([{"type": "purchase", "order": "1001", "total": 5000}], "events.0"),
        ([{"type": "checkout_started"}, {"type": "product_view", "product": "Not A Slug!"}], "events.1.product_view"),
        ([{"type": "search", "query": " "}], "events.0.search.query"),
        ([{"type": "page_view", "path": "https://evil.test/"}], "events.0.page_view.path"),
        ([{"type": "checkout_started"}] * 26, "events"),
        ([], "events"),
    ]
    for events, field in cases:
        answer = send(cloud, events)
        assert answer.status == 400, answer.body
        fields = [f["field"] for f in answer.body["error"]["fields"]]
        assert any(f.startswith(field) for f in fields), (field, fields)
    assert _visit_items(cloud) == []


def test_robots_and_unknown_products_are_dropped_and_unknown_stores_are_404(
    cloud: Cloud, shops: Callable[[datetime], None]
) -> None:
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    answer = send(cloud, BATCH, agent=googlebot)
    assert (answer.status, answer.body) == (202, {"accepted": 0, "dropped": 7})
    assert _visit_items(cloud) == []
    unknown = [{"type": "product_view", "product": "no-such-sword"}, {"type": "add_to_cart", "product": "draftless"}]
    answer = send(cloud, [*unknown, {"type": "page_view", "path": "/"}])
    assert (answer.status, answer.body) == (202, {"accepted": 1, "dropped": 2})  # only products on sale count
    assert not [i for i in _visit_items(cloud) if "PVISITS#" in i]
    missing = send(cloud, BATCH, store="no-such-store")
    assert missing.status == 404 and missing.body["error"]["code"] == "not_found"


def test_a_flood_from_one_address_is_429(cloud: Cloud, shops: Callable[[datetime], None]) -> None:
    one = [{"type": "page_view", "path": "/"}]
    for _ in range(60):
        assert send(cloud, one).status == 202
    refused = send(cloud, one)  # the same visitor, past 60 batches a minute
    assert refused.status == 429 and int(refused.headers["retry-after"]) > 0
    for n in range(60):
        assert send(cloud, one, session=f"{n:043d}").status == 202  # new sessions, the same address
    flooded = send(cloud, one, session="z" * 43)
    assert flooded.status == 429  # past 120 batches a minute from one address
    assert send(cloud, one, session="z" * 43, ip="198.51.100.30").status == 202
    assert figures(cloud).days[0].page_views == 121


def test_another_stores_events_never_count_in_this_store(cloud: Cloud, shops: Callable[[datetime], None]) -> None:
    send(cloud, BATCH)
    send(cloud, BATCH, store=OTHER, session=SESSION_B)
    send(cloud, BATCH, store=OTHER, session=SESSION_A)

    forge = figures(cloud, first=date(2026, 12, 3))
    assert forge.visitors == 1 and sum(d.page_views for d in forge.days) == 1
    assert forge.products["ember-longsword"].views == 2
    other = figures(cloud, OTHER, first=date(2026, 12, 3))
    assert [d.day for d in other.days] == [date(2026, 12, 3)]  # UTC store: still 3 December there
    assert other.visitors == 2 and other.days[0].page_views == 2


def test_a_batch_racing_another_keeps_both_visitors(
    cloud: Cloud, shops: Callable[[datetime], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another batch commits between this one's read and its write: the version condition makes this one read
    again, so neither visitor nor any counter is lost."""
    from nozzly.analytics.adapters import visits
    from nozzly.analytics.domain.visits import DayTally, ProductCounts, StoreCounts
    from nozzly.kernel.adapters.batch import read_together

    repository = visits.VisitsRepository(cloud.names["AnalyticsTable"])

    def batch(visitor: str) -> DayTally:
        return DayTally(BERLIN_DAY, visitor, StoreCounts(product_views=1), {"ember-longsword": ProductCounts(views=1)})

    repository.record(FORGE, batch("first"))
    raced: list[bool] = []

    def racing(reads: list[Any]) -> list[Any]:
        found = read_together(reads)
        if not raced:
            raced.append(True)
            repository.record(FORGE, batch("second"))
        return found

    monkeypatch.setattr(visits, "read_together", racing)
    repository.record(FORGE, batch("third"))

    found = figures(cloud)
    assert raced
    assert (found.days[0].product_views, found.days[0].visitors) == (3, 3)
    ember = found.products["ember-longsword"]
    assert (ember.views, ember.visitors) == (3, 3)
