"""Storefront events: robots are told apart, bodies are judged strictly, a batch adds up per day and product,
visitors are hashed, and distinct visitors merged over days stay within HyperLogLog's error."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from nozzly.analytics.adapters import sketches
from nozzly.analytics.contracts.storefront_events import EventsIn
from nozzly.analytics.domain.visits import (
    EventType,
    StorefrontEvent,
    is_bot,
    on_sale_only,
    tally,
    token_subject,
    visitor_key,
)

DAY = date(2026, 12, 3)
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Wget/1.21",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "",
        None,
    ],
)
def test_obvious_robots_are_bots(agent: str | None) -> None:
    assert is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        CHROME,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        # "Cubot" is a phone maker: "bot" inside a word is no robot.
        "Mozilla/5.0 (Linux; Android 12; CUBOT X50) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile",
    ],
)
def test_browsers_are_not_bots(agent: str) -> None:
    assert not is_bot(agent)


def test_a_batch_adds_up_for_the_store_and_each_product() -> None:
    events = [
        StorefrontEvent(EventType.PAGE_VIEW),
        StorefrontEvent(EventType.PAGE_VIEW),
        StorefrontEvent(EventType.PRODUCT_VIEW, "ember-longsword"),
        StorefrontEvent(EventType.PRODUCT_VIEW, "ember-longsword"),
        StorefrontEvent(EventType.PRODUCT_VIEW, "frost-dagger"),
        StorefrontEvent(EventType.SEARCH),
        StorefrontEvent(EventType.ADD_TO_CART, "ember-longsword"),
        StorefrontEvent(EventType.CHECKOUT_STARTED),
    ]
    found = tally(events, day=DAY, visitor="v")
    assert found.store.as_dict() == {
        "page_views": 2,
        "product_views": 3,
        "searches": 1,
        "add_to_carts": 1,
        "checkouts_started": 1,
    }
    assert {p: c.as_dict() for p, c in found.products.items()} == {
        "ember-longsword": {"views": 2, "add_to_carts": 1},
        "frost-dagger": {"views": 1},
    }


def test_events_naming_products_not_on_sale_are_left_out() -> None:
    events = [
        StorefrontEvent(EventType.PRODUCT_VIEW, "ember-longsword"),
        StorefrontEvent(EventType.ADD_TO_CART, "made-up"),
        StorefrontEvent(EventType.SEARCH),
    ]
    assert on_sale_only(events, {"ember-longsword"}) == ([events[0], events[2]], 1)
    assert on_sale_only(events, set()) == ([events[2]], 2)


def test_visitors_are_hashed_per_store_and_prefer_the_shopper() -> None:
    session = "s" * 43
    as_guest = visitor_key("forge", shopper=None, session=session, ip="203.0.113.9", user_agent=CHROME)
    assert session not in as_guest
    assert as_guest == visitor_key("forge", shopper=None, session=session, ip="198.51.100.1", user_agent="x")
    assert as_guest != visitor_key("other", shopper=None, session=session, ip="203.0.113.9", user_agent=CHROME)
    shopper = visitor_key("forge", shopper="sub-1", session=session, ip="203.0.113.9", user_agent=CHROME)
    assert shopper == visitor_key("forge", shopper="sub-1", session=None, ip="198.51.100.1", user_agent="y")
    anonymous = visitor_key("forge", shopper=None, session=None, ip="203.0.113.9", user_agent=CHROME)
    assert anonymous != visitor_key("forge", shopper=None, session=None, ip="203.0.113.9", user_agent="other")


def _token(claims: dict[str, str]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.signature"


def test_a_tokens_subject_is_read_and_garbage_is_nobody() -> None:
    assert token_subject(_token({"sub": "abc-123", "username": "forge#a@b.test"})) == "abc-123"
    assert token_subject("not-a-token") is None
    assert token_subject("a.!!!.c") is None
    assert token_subject(_token({"username": "x"})) is None
    assert token_subject(None) is None


def _parse(*events: dict[str, Any]) -> EventsIn:
    return EventsIn.model_validate({"events": list(events)})


def _error_fields(*events: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        _parse(*events)
    return [".".join(str(p) for p in e["loc"]) for e in raised.value.errors()]


def test_every_event_type_is_read_into_the_domain() -> None:
    body = _parse(
        {"type": "page_view", "path": "/collections/blades?utm=x#top", "at": "2026-12-03T10:00:00Z"},
        {"type": "product_view", "product": "ember-longsword", "variant": "gilded"},
        {"type": "search", "query": "  frost   dagger "},
        {"type": "add_to_cart", "product": "ember-longsword"},
        {"type": "checkout_started"},
    )
    assert body.to_domain() == [
        StorefrontEvent(EventType.PAGE_VIEW),
        StorefrontEvent(EventType.PRODUCT_VIEW, "ember-longsword"),
        StorefrontEvent(EventType.SEARCH),
        StorefrontEvent(EventType.ADD_TO_CART, "ember-longsword"),
        StorefrontEvent(EventType.CHECKOUT_STARTED),
    ]
    assert body.events[0].path == "/collections/blades"  # type: ignore[union-attr]
    assert body.events[2].query == "frost dagger"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"type": "purchase", "order": "1001"}, "events.1"),
        ({"type": "teleport"}, "events.1"),
        ({"path": "/"}, "events.1"),
        ({"type": "page_view", "path": "https://evil.test/"}, "events.1.page_view.path"),
        ({"type": "page_view", "path": "//evil.test/"}, "events.1.page_view.path"),
        ({"type": "page_view"}, "events.1.page_view.path"),
        ({"type": "product_view", "product": "Not A Slug"}, "events.1.product_view.product"),
        ({"type": "add_to_cart"}, "events.1.add_to_cart.product"),
        ({"type": "search", "query": "   "}, "events.1.search.query"),
        ({"type": "search", "query": "x" * 201}, "events.1.search.query"),
        ({"type": "checkout_started", "total": 100}, "events.1.checkout_started.total"),
        ({"type": "checkout_started", "at": "yesterday"}, "events.1.checkout_started.at"),
    ],
)
def test_a_bad_event_names_its_field(event: dict[str, object], field: str) -> None:
    # The first event is fine: the error points at the second alone.
    assert _error_fields({"type": "checkout_started"}, event) == [field]


def test_a_batch_holds_one_to_twenty_five_events() -> None:
    with pytest.raises(ValidationError):
        EventsIn.model_validate({"events": []})
    with pytest.raises(ValidationError):
        _parse(*[{"type": "checkout_started"}] * 26)
    assert len(_parse(*[{"type": "checkout_started"}] * 25).events) == 25


def test_distinct_visitors_merge_over_days_within_hll_error() -> None:
    """5,000 visitors over 5 days, each coming on two days: the days' sketches merged count each once."""
    visitors = [f"visitor-{i}" for i in range(5_000)]
    days: list[bytes | None] = [None] * 5
    for i, visitor in enumerate(visitors):
        for d in (i % 5, (i + 1) % 5):
            days[d] = sketches.with_visitor(days[d], visitor)
    stored = [d for d in days if d is not None]
    merged = sketches.distinct(stored)
    # lg_k 12: 1.6 % relative standard error; 5 % is beyond three of them.
    assert abs(merged - 5_000) <= 250
    assert sum(sketches.distinct([d]) for d in stored) > 9_000  # summing days would count everyone twice


def test_adding_a_known_visitor_leaves_the_sketch_as_it_was() -> None:
    once = sketches.with_visitor(None, "v1")
    assert sketches.with_visitor(once, "v1") == once
    assert sketches.with_visitor(once, "v2") != once
    assert sketches.distinct([]) == 0
