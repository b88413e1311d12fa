"""A shopper's orders through the ShopperOrders function: list, detail, cancel (stock back, payment refunded)."""

from __future__ import annotations

import pytest

from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.order_helpers import (
    RecordingGateway,
    paid_by_card,
    place_order,
    reserved,
    shopper_call,
    stored_order,
    use_gateway,
)
from tests.functional.test_carts import GILDED, CartApi, guest_cart, shopper_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)  # the import seeds the store's tax rate, shipping methods and order numbers
    return cloud


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    return use_gateway(monkeypatch, RecordingGateway())


def test_a_shopper_lists_their_own_orders_newest_first_page_by_page(shop: Cloud) -> None:
    sam, ada = shopper_cart(shop, "sam@example.com"), shopper_cart(shop, "ada@example.com")
    mine = [place_order(sam) for _ in range(3)]
    place_order(ada)
    place_order(guest_cart(shop))  # a guest's: listed under no account

    first = shopper_call(sam, "GET", limit="2")
    second = shopper_call(sam, "GET", limit="2", cursor=first.body["next_cursor"])

    assert first.status == 200, first.body
    assert [o["id"] for o in first.body["items"]] == [mine[2], mine[1]]
    assert [o["number"] for o in first.body["items"]] == [1003, 1002]
    assert [o["id"] for o in second.body["items"]] == [mine[0]] and second.body["next_cursor"] is None
    summary = second.body["items"][0]
    assert (summary["status"], summary["payment_state"], summary["item_count"]) == ("pending", "awaiting_payment", 1)
    assert [o["number"] for o in shopper_call(ada, "GET").body["items"]] == [1004]


def test_a_cursor_from_another_shoppers_list_is_refused(shop: Cloud) -> None:
    sam, ada = shopper_cart(shop, "sam@example.com"), shopper_cart(shop, "ada@example.com")
    for _ in range(2):
        place_order(sam)
    cursor = shopper_call(sam, "GET", limit="1").body["next_cursor"]

    refused = shopper_call(ada, "GET", cursor=cursor)

    assert refused.status == 400 and refused.body["error"]["fields"][0]["field"] == "cursor"


def test_a_shopper_reads_their_order_and_nobody_elses(shop: Cloud) -> None:
    sam, ada = shopper_cart(shop, "sam@example.com"), shopper_cart(shop, "ada@example.com")
    order = place_order(sam, quantity=2)
    guests = place_order(guest_cart(shop))

    detail = shopper_call(sam, "GET", "/{order}", order=order)

    assert detail.status == 200, detail.body
    body = detail.body
    assert (body["id"], body["number"], body["status"], body["cancellable"]) == (order, 1001, "pending", True)
    assert [(i["sku"], i["quantity"], i["line_total"]["amount"]) for i in body["items"]] == [("MF-EMBER-STD", 2, 25800)]
    assert body["totals"]["total"]["amount"] == stored_order(shop, order)["totals"]["total"]
    assert body["refunds"] == [] and body["shipping_address"]["city"] == "Berlin"
    for who, which in ((ada, order), (sam, guests), (sam, "no-such-order")):
        hidden = shopper_call(who, "GET", "/{order}", order=which)
        assert hidden.status == 404 and hidden.body["error"]["fields"][0]["field"] == "order", hidden.body


def test_cancelling_releases_the_stock_once_and_a_second_cancel_is_a_conflict(shop: Cloud) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam, quantity=2)
    place_order(sam, quantity=1, variant=GILDED)  # another order's hold stays
    assert reserved(shop) == {"standard": 2, GILDED: 1}

    cancelled = shopper_call(sam, "POST", "/{order}/cancel", order=order)
    again = shopper_call(sam, "POST", "/{order}/cancel", order=order)

    assert cancelled.status == 200, cancelled.body
    assert (cancelled.body["status"], cancelled.body["cancellable"]) == ("cancelled", False)
    assert cancelled.body["cancelled_at"] is not None and cancelled.body["refunds"] == []
    assert again.status == 409 and again.body["error"]["fields"][0]["field"] == "order"
    assert reserved(shop) == {"standard": 0, GILDED: 1}  # released exactly once
    assert shopper_call(sam, "GET", "/{order}", order=order).body["status"] == "cancelled"


def test_another_shopper_cannot_cancel_an_order_and_learns_nothing(shop: Cloud) -> None:
    sam, ada = shopper_cart(shop, "sam@example.com"), shopper_cart(shop, "ada@example.com")
    order = place_order(sam)

    refused = shopper_call(ada, "POST", "/{order}/cancel", order=order)

    assert refused.status == 404 and refused.body["error"]["fields"][0]["field"] == "order"
    assert stored_order(shop, order)["status"] == "pending" and reserved(shop)["standard"] == 1


def test_a_shipped_order_cannot_be_cancelled(shop: Cloud) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam)
    shop.client("dynamodb").update_item(
        TableName=shop.names["OrdersTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"ORDER#{order}"}},
        UpdateExpression="SET #s = :shipped",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":shipped": {"S": "shipped"}},
    )

    refused = shopper_call(sam, "POST", "/{order}/cancel", order=order)

    assert refused.status == 409 and "shipped" in refused.body["error"]["message"]
    assert reserved(shop)["standard"] == 1


def test_cancelling_a_paid_order_refunds_it_in_full_once(shop: Cloud, gateway: RecordingGateway) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam, quantity=2)
    paid_by_card(shop, order, payment_id="pi_sam")
    total = stored_order(shop, order)["totals"]["total"]

    cancelled = shopper_call(sam, "POST", "/{order}/cancel", order=order)

    assert cancelled.status == 200, cancelled.body
    assert gateway.calls == [("pi_sam", total, f"cx-{order}")]
    assert cancelled.body["payment_state"] == "refunded" and cancelled.body["refunded"]["amount"] == total
    [refund] = cancelled.body["refunds"]
    assert (refund["refund_id"], refund["amount"]["amount"], refund["state"]) == ("re_1", total, "succeeded")
    assert shopper_call(sam, "POST", "/{order}/cancel", order=order).status == 409
    assert len(gateway.made) == 1 and reserved(shop)["standard"] == 0


def test_a_cancellation_whose_refund_was_cut_off_is_finished_by_its_retry(
    shop: Cloud, gateway: RecordingGateway
) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam, quantity=3)
    paid_by_card(shop, order, payment_id="pi_sam")
    gateway.crash = True

    cut_off = shopper_call(sam, "POST", "/{order}/cancel", order=order)

    assert cut_off.status == 500
    stored = stored_order(shop, order)
    assert stored["status"] == "cancelled" and [r["state"] for r in stored["refunds"]] == ["requested"]
    assert reserved(shop)["standard"] == 0 and gateway.made == {}

    retried = shopper_call(sam, "POST", "/{order}/cancel", order=order)

    assert retried.status == 200, retried.body
    assert [r["state"] for r in retried.body["refunds"]] == ["succeeded"]
    assert [key for _, _, key in gateway.calls] == [f"cx-{order}", f"cx-{order}"]  # the same refund asked twice
    assert len(gateway.made) == 1 and gateway.refunded == stored["totals"]["total"]
    assert reserved(shop)["standard"] == 0  # still released once


def test_a_guest_cart_owner_has_no_orders_route(shop: Cloud) -> None:
    guest = guest_cart(shop)
    place_order(guest)
    nobody = CartApi(shop, "", {}, claims=None)

    refused = shopper_call(nobody, "GET")

    assert refused.status == 401


def test_a_cancelled_order_gives_its_code_use_back_once_to_the_code_and_to_the_shopper(shop: Cloud) -> None:
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.promotions.domain.coupons import Coupon, CouponKind

    coupons = CouponsRepository(shop.names["StoresTable"])
    # A 3-use code, two of its uses taken by other orders; one use per shopper.
    coupons.create(Coupon(STORE, "THRICE", CouponKind.FIXED, 500, "EUR", max_uses=3, max_uses_per_shopper=1, uses=2))
    sam, ada = shopper_cart(shop, "sam@example.com"), shopper_cart(shop, "ada@example.com")
    assert sam.add().status == 200
    assert sam.call("PUT", "/coupon", {"code": "THRICE"}).status == 200
    order = place_order(sam)
    assert stored_order(shop, order)["coupon"] == "THRICE"
    assert ada.add().status == 200
    used_up = ada.call("PUT", "/coupon", {"code": "THRICE"})
    assert used_up.status == 400 and "used up" in used_up.body["error"]["message"], used_up.body
    sub = sam.claims and sam.claims["sub"]
    assert coupons.shopper_uses(STORE, "THRICE", f"sub:{sub}") == 1

    cancelled = shopper_call(sam, "POST", "/{order}/cancel", order=order)
    again = shopper_call(sam, "POST", "/{order}/cancel", order=order)  # a retry, or a second click

    assert cancelled.status == 200 and again.status == 409
    assert coupons.get(STORE, "THRICE").uses == 2  # type: ignore[union-attr]  # one use back, not two
    assert coupons.shopper_uses(STORE, "THRICE", f"sub:{sub}") == 0
    assert sam.add().status == 200
    assert sam.call("PUT", "/coupon", {"code": "THRICE"}).status == 200  # sam's own use is back too
    assert ada.call("PUT", "/coupon", {"code": "THRICE"}).status == 200  # the code can be used again
    place_order(ada)
    assert coupons.get(STORE, "THRICE").uses == 3  # type: ignore[union-attr]
