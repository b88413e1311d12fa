"""Supplier feeds read as the store maps them (CSV, JSON, Google Merchant XML), prices parsed exactly, unreadable
rows skipped, hostile XML refused; research settings judged whole."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.research.adapters.feed_formats import UnreadableFeed, rows
from nozzly.research.domain.feeds import Feed, FeedFormat, candidates, parse_money
from nozzly.research.domain.research_settings import from_data

pytestmark = pytest.mark.unit

MAPPING = {"source_id": "sku", "title": "name", "url": "link", "cost": "price", "shipping_days": "days"}
MERCHANT = b"""<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
<item><g:id>G1</g:id><g:title>Oak Board</g:title><g:link>https://s.example/g1</g:link><g:price>16.00 EUR</g:price>
<g:shipping><g:country>DE</g:country><g:price>3.50 EUR</g:price><g:max_transit_time>7</g:max_transit_time></g:shipping>
<g:gtin>4006381333931</g:gtin></item>
<item><g:id>G2</g:id><g:title>No price</g:title><g:link>https://s.example/g2</g:link></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("15.00 EUR", "USD", Money(1500, "EUR")),
        ("EUR 15.5", "USD", Money(1550, "EUR")),
        ("15,99", "EUR", Money(1599, "EUR")),
        ("1200", "JPY", Money(1200, "JPY")),
    ],
)
def test_feed_prices_become_exact_minor_units(text: str, currency: str, expected: Money) -> None:
    assert parse_money(text, currency) == expected


@pytest.mark.parametrize(("text", "currency"), [("12.345 EUR", "EUR"), ("abc", "EUR"), ("-3.00", "EUR")])
def test_what_is_not_a_price_is_refused(text: str, currency: str) -> None:
    with pytest.raises(InvalidInput):
        parse_money(text, currency)


def test_a_csv_feed_is_read_through_its_mapping_and_bad_rows_are_skipped() -> None:
    body = b"\xef\xbb\xbfsku,name,link,price,days\nA1,Desk Lamp,https://s.example/a1,12.00,9\nA2,,https://x,1.00,3\n"
    feed = Feed("csv", "https://s.example/feed.csv", FeedFormat.CSV, MAPPING)
    [lamp] = candidates(feed, rows(body, FeedFormat.CSV), "EUR")  # A2 has no title
    assert (lamp.source, lamp.source_id, lamp.title, lamp.cost, lamp.shipping_days) == (
        "csv",
        "A1",
        "Desk Lamp",
        Money(1200, "EUR"),
        9,
    )


def test_a_json_feed_may_be_a_list_or_hold_products() -> None:
    body = b'{"products": [{"sku": "J1", "name": "Mug", "link": "https://s.example/j1", "price": 4}]}'
    feed = Feed("json", "https://s.example/feed.json", FeedFormat.JSON, MAPPING, shipping_days=12)
    [mug] = candidates(feed, rows(body, FeedFormat.JSON), "EUR")
    assert (mug.cost, mug.shipping_days) == (Money(400, "EUR"), 12)  # the feed's default days


def test_a_google_merchant_feed_uses_the_specifications_names_by_default() -> None:
    feed = Feed("gm", "https://s.example/feed.xml", FeedFormat.GOOGLE_MERCHANT)
    [board] = candidates(feed, rows(MERCHANT, FeedFormat.GOOGLE_MERCHANT), "USD")
    assert (board.source_id, board.cost, board.shipping, board.shipping_days, board.gtin) == (
        "G1",
        Money(1600, "EUR"),
        Money(350, "EUR"),
        7,
        "4006381333931",
    )


def test_hostile_or_broken_feeds_are_refused_not_expanded() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss><item>&b;</item></rss>'
    with pytest.raises(UnreadableFeed):
        rows(bomb, FeedFormat.GOOGLE_MERCHANT)
    with pytest.raises(UnreadableFeed):
        rows(b"[1, 2", FeedFormat.JSON)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"frequency": "hourly"}, "frequency"),
        ({"keywords": ["x"]}, "keywords"),
        ({"feeds": [{"id": "a", "url": "https://s.example/f", "format": "csv"}]}, "feeds"),  # csv without mapping
        ({"feeds": [{"id": "a", "url": "https://s.example/f", "format": "xls"}]}, "feeds"),
        ({"markup": {"bands": [{"below": 1000, "markup_bp": 20000}]}}, "bands"),  # the last band must be open
        ({"full_margin": 0}, "full_margin"),
    ],
)
def test_research_settings_are_judged_whole(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        from_data(data)
    assert refused.value.field == field


def test_weekly_research_runs_on_mondays_and_off_never() -> None:
    monday, tuesday = 1_796_601_600.0, 1_796_688_000.0  # 2026-12-07 and 2026-12-08, 00:00 UTC
    assert from_data({"frequency": "weekly"}).due(monday) and not from_data({"frequency": "weekly"}).due(tuesday)
    assert from_data({}).due(tuesday) and not from_data({"frequency": "off"}).due(monday)
