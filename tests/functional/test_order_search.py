"""Operators' order list (OrderSearch) and an order's detail with its timeline (OrderPayments), on orders placed
through the real checkout steps."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.order_helpers import place_order, shopper_call, stored_order
from tests.functional.store_helpers import claims
from tests.functional.test_carts import guest_cart, shopper_cart
from tests.functional.test_order_refunds import OWNER, STAFF, STRANGER, call, shop

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
__all__ = ["shop"]  # the fixture, shared with the refund tests


def orders(cloud: Cloud, *, sub: str | None = OWNER, store: str = STORE, **query: str | int) -> HttpResponse:
    event = api_event(
        "GET /admin/stores/{store}/orders",
        path_parameters={"store": store},
        claims=claims(sub) if sub else None,
    )
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = {k: str(v) for k, v in query.items()}
    return cloud.http("OrderSearch", event)


def numbers(response: HttpResponse) -> list[int]:
    assert response.status == 200, response.body
    return [row["number"] for row in response.body["items"]]


def test_a_placed_order_is_listed_at_once_and_its_detail_tells_its_story(shop: Cloud) -> None:
    order = place_order(guest_cart(shop))

    listed = orders(shop, sub=STAFF)
    detail = call(shop, "GET", order, sub=STAFF)

    assert listed.status == 200, listed.body
    [row] = listed.body["items"]
    assert (row["id"], row["number"], row["status"], row["payment_state"], row["channel"]) == (
        order,
        1001,
        "pending",
        "awaiting_payment",
        "web",
    )
    assert (row["fulfilment_state"], row["email"], row["item_count"]) == ("unfulfilled", "sam@example.com", 1)
    assert row["total"]["amount"] == 15934 and listed.body["next_cursor"] is None
    assert detail.status == 200, detail.body
    body = detail.body
    assert body["allowed_next"] == ["processing", "cancelled"]
    assert body["unfulfilled"] == [{"product": "ember-longsword", "variant_id": "standard", "quantity": 1}]
    assert body["fulfilments"] == [] and body["channel"] == "web"
    [placed] = body["timeline"]
    assert (placed["kind"], placed["by"], placed["to_status"]) == ("placed", "guest", "pending")
    assert placed["text"] == "Order #1001 placed online (cash on delivery)"


def test_newest_first_in_pages_that_neither_repeat_nor_skip(shop: Cloud) -> None:
    for _ in range(5):
        place_order(guest_cart(shop))

    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = orders(shop, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += numbers(page)
        pages += 1
        cursor = page.body["next_cursor"]
        if cursor is None:
            break

    assert seen == [1005, 1004, 1003, 1002, 1001] and pages == 3


def test_filters_combine_and_each_narrows_the_list(shop: Cloud) -> None:
    first = place_order(guest_cart(shop))  # 1001, guest, cash on delivery
    shopper = shopper_cart(shop)
    second = place_order(shopper)  # 1002, the shopper's
    place_order(guest_cart(shop))  # 1003
    assert call(shop, "POST /mark-paid", first).status == 200
    assert shopper_call(shopper, "POST", "/{order}/cancel", order=second).status == 200
    placed_at = stored_order(shop, first)["created_at"]

    assert numbers(orders(shop, status="cancelled")) == [1002]
    assert numbers(orders(shop, status="pending")) == [1003, 1001]
    assert numbers(orders(shop, payment_state="paid")) == [1001]
    assert numbers(orders(shop, status="pending", payment_state="awaiting_payment")) == [1003]
    assert numbers(orders(shop, number=1003)) == [1003]
    assert numbers(orders(shop, number=1003, status="cancelled")) == []
    assert numbers(orders(shop, channel="manual")) == []
    assert numbers(orders(shop, email="SAM@Example.com")) == [1003, 1002, 1001]
    before = datetime.fromtimestamp(placed_at - 3600, UTC).isoformat()
    assert numbers(orders(shop, created_to=before)) == []
    assert numbers(orders(shop, created_from=before)) == [1003, 1002, 1001]


def test_a_cancelled_order_shows_who_cancelled_it_and_what_may_follow(shop: Cloud) -> None:
    shopper = shopper_cart(shop)
    order = place_order(shopper)
    assert shopper_call(shopper, "POST", "/{order}/cancel", order=order).status == 200

    body = call(shop, "GET", order).body

    assert body["status"] == "cancelled" and body["allowed_next"] == []
    placed, cancelled = body["timeline"]
    assert shopper.claims is not None
    assert placed["by"] == f"shopper:{shopper.claims['sub']}"
    assert (cancelled["kind"], cancelled["from_status"], cancelled["to_status"]) == (
        "status_changed",
        "pending",
        "cancelled",
    )
    assert cancelled["by"] == placed["by"] and "cancelled by the shopper" in cancelled["text"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"channel": "phone"}, "channel"),
        ({"number": "0"}, "number"),
        ({"limit": "101"}, "limit"),
        ({"created_from": "2026-02-01", "created_to": "2026-01-01"}, "created_from"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
    ],
)
def test_bad_filters_are_named(shop: Cloud, query: dict[str, str], field: str) -> None:
    place_order(guest_cart(shop))

    refused = orders(shop, **query)

    assert refused.status in (400, 422), refused.body
    assert [f["field"] for f in refused.body["error"]["fields"]] == [field]


def test_a_cursor_of_one_listing_is_refused_by_another(shop: Cloud) -> None:
    for _ in range(3):
        place_order(guest_cart(shop))
    cursor = orders(shop, limit=1).body["next_cursor"]

    assert orders(shop, limit=1, status="pending", cursor=cursor).status == 400


def test_only_the_store_s_operators_see_its_orders(shop: Cloud) -> None:
    place_order(guest_cart(shop))

    assert orders(shop, sub=STAFF).status == 200
    stranger = orders(shop, sub=STRANGER)
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert orders(shop, sub=None).status == 401
