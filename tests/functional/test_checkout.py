"""Checkout through the Checkout function, and the saga's steps invoked as the state machine invokes them."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from nozzly.observability import logger
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponKind
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.test_carts import GILDED, CartApi, guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
BODY: dict[str, Any] = {
    "email": "sam@example.com",
    "shipping_address": ADDRESS,
    "shipping_method": "standard",
    "payment_method": "cash_on_delivery",
}


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)  # the import seeds the store's tax rate, shipping methods and order numbers
    return cloud


def check_out(cart: CartApi, key: str = "key-00000001", **changes: Any) -> HttpResponse:
    body = BODY | {"session_id": cart.params["session"]} | changes
    event = api_event(
        "POST /stores/{store}/checkout", path_parameters={"store": STORE}, body=body, headers={"idempotency-key": key}
    )
    return cart.cloud.http("Checkout", event)


def status(cloud: Cloud, checkout_id: str) -> dict[str, Any]:
    event = api_event(
        "GET /stores/{store}/checkouts/{checkout}", path_parameters={"store": STORE, "checkout": checkout_id}
    )
    response = cloud.http("Checkout", event)
    assert response.status == 200, response.body
    body: dict[str, Any] = response.body
    return body


def step(cloud: Cloud, name: str, checkout_id: str, **extra: Any) -> Any:
    return cloud.invoke("CheckoutSteps", {"step": name, "store_id": STORE, "checkout_id": checkout_id} | extra)


def reserved(cloud: Cloud, slug: str = "ember-longsword") -> dict[str, int]:
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{slug}")
    assert item is not None
    return {v["id"]: int(v.get("reserved", 0)) for v in from_item(item)["variants"]}


def test_a_cash_on_delivery_checkout_reserves_places_a_numbered_order_and_clears_the_cart(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=2)
    cart.add(variant=GILDED, quantity=1)

    started = check_out(cart)

    assert started.status == 202, started.body
    checkout = started.body["id"]
    assert started.body["status"] == "processing" and started.headers["location"] == started.body["status_url"]
    totals = {k: v["amount"] for k, v in started.body["totals"].items() if isinstance(v, dict)}
    # 2 x 129.00 + 159.00 + standard shipping 4.90, 19 % VAT on all of it
    assert totals == {"subtotal": 41700, "discount": 0, "shipping": 490, "tax": 8016, "total": 50206}

    outcome = step(shop, "reserve", checkout)
    assert outcome["held"] is True
    assert reserved(shop) == {"standard": 2, GILDED: 1}
    assert step(shop, "place_order", checkout) == {"order_id": checkout, "order_number": 1001}
    assert step(shop, "clear_cart", checkout, cart=outcome["cart"]) == {"cleared": True}

    placed = status(shop, checkout)
    assert (placed["status"], placed["order_number"], placed["reason"]) == ("placed", 1001, None)
    assert cart.get()["items"] == []
    stored = shop.item("OrdersTable", STORE, f"ORDER#{checkout}")
    assert stored is not None
    order = from_item(stored)
    assert order["number"] == 1001 and order["payment_state"] == "awaiting_payment"
    assert order["totals"]["total"] == 50206


def test_every_step_is_safe_to_repeat(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=2)
    checkout = check_out(cart).body["id"]

    step(shop, "reserve", checkout)
    step(shop, "reserve", checkout)
    first = step(shop, "place_order", checkout)
    again = step(shop, "place_order", checkout)

    assert reserved(shop)["standard"] == 2  # held once
    assert first == again == {"order_id": checkout, "order_number": 1001}
    assert [i for i in shop.all_items("OrdersTable") if i["sk"]["S"].startswith("ORDER#")].__len__() == 1


def test_the_same_idempotency_key_returns_the_same_checkout_and_another_request_with_it_is_refused(
    shop: Cloud,
) -> None:
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-abcdefgh")

    again = check_out(cart, "key-abcdefgh")
    other = check_out(cart, "key-abcdefgh", shipping_method="express")
    step(shop, "abandon", first.body["id"], error=None)  # the first one ends: the cart may be checked out again
    fresh = check_out(cart, "key-ijklmnop")

    assert again.status == 202 and again.body == first.body
    assert other.status == 409 and other.body["error"]["fields"][0]["field"] == "Idempotency-Key"
    assert fresh.status == 202 and fresh.body["id"] != first.body["id"]


def test_the_second_of_two_checkouts_for_the_last_items_is_refused_naming_the_line(shop: Cloud) -> None:
    first, second = guest_cart(shop), guest_cart(shop)
    first.add(variant=GILDED, quantity=2)
    second.add(variant=GILDED, quantity=1)
    a, b = check_out(first).body["id"], check_out(second).body["id"]

    assert step(shop, "reserve", a)["held"] is True
    refused = step(shop, "reserve", b)

    assert refused["held"] is False
    assert status(shop, b)["reason"] == "Ember Longsword (MF-EMBER-GLD) is out of stock"
    assert reserved(shop)[GILDED] == 2  # never more than on hand


def test_abandoning_releases_the_stock_and_gives_the_coupon_use_back(shop: Cloud) -> None:
    coupons = CouponsRepository(shop.names["StoresTable"])
    coupons.create(Coupon(STORE, "ONCE", CouponKind.FIXED, 500, "EUR", max_uses=1))
    cart = guest_cart(shop)
    cart.add(quantity=3)
    assert cart.call("PUT", "/coupon", {"code": "ONCE"}).status == 200
    checkout = check_out(cart).body["id"]
    step(shop, "reserve", checkout)
    assert coupons.get(STORE, "ONCE").uses == 1  # type: ignore[union-attr]

    outcome = step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})

    assert outcome["status"] == "failed"
    assert (
        status(shop, checkout)["reason"]
        == "Payment was not completed in time. Nothing was charged and the items were released."
    )
    assert reserved(shop)["standard"] == 0
    assert coupons.get(STORE, "ONCE").uses == 0  # type: ignore[union-attr]
    assert step(shop, "abandon", checkout, error=None)["status"] == "failed"  # again: nothing more is released
    assert reserved(shop)["standard"] == 0


def test_a_used_up_code_refuses_the_checkout_at_reservation(shop: Cloud) -> None:
    coupons = CouponsRepository(shop.names["StoresTable"])
    coupons.create(Coupon(STORE, "ONCE", CouponKind.PERCENT, 1000, "EUR", max_uses=1))
    carts = [guest_cart(shop), guest_cart(shop)]
    ids = []
    for n, cart in enumerate(carts):
        cart.add()
        cart.call("PUT", "/coupon", {"code": "ONCE"})
        ids.append(check_out(cart, f"key-coupon-{n}").body["id"])

    assert step(shop, "reserve", ids[0])["held"] is True
    assert step(shop, "reserve", ids[1])["held"] is False
    assert status(shop, ids[1])["reason"] == "the discount code ONCE has been used up"
    assert reserved(shop)["standard"] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shipping_method": "teleport"}, "shipping_method"),
        ({"shipping_address": ADDRESS | {"country": "US"}}, "address.country"),
        ({"payment_method": "square_card"}, "source_token"),
        ({"payment_method": "stripe_checkout_session"}, "return_url"),  # once let through, to fail in the saga
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "🔥@🔥.com"}, "email"),
        ({"payment_method": "stripe_checkout_session", "return_url": "javascript:alert(1)"}, "return_url"),
        ({"payment_method": "stripe_checkout_session", "return_url": "//evil.example/x"}, "return_url"),
    ],
)
def test_bad_checkout_requests_are_refused_and_change_nothing(shop: Cloud, changes: dict[str, Any], field: str) -> None:
    cart = guest_cart(shop)
    cart.add()

    response = check_out(cart, **changes)

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"].endswith(field)
    assert not [i for i in shop.all_items("OrdersTable") if i["sk"]["S"].startswith("CHECKOUT#")]


def test_an_empty_cart_or_a_missing_key_cannot_check_out(shop: Cloud) -> None:
    cart = guest_cart(shop)

    empty = check_out(cart)
    cart.add()
    event = api_event(
        "POST /stores/{store}/checkout",
        path_parameters={"store": STORE},
        body=BODY | {"session_id": cart.params["session"]},
    )
    keyless = shop.http("Checkout", event)

    assert empty.status == 400 and empty.body["error"]["fields"][0]["field"] == "cart"
    assert keyless.status == 400 and keyless.body["error"]["fields"][0]["field"].lower().endswith("idempotency-key")


def test_a_cart_changed_after_checking_out_is_kept(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    checkout = check_out(cart).body["id"]
    outcome = step(shop, "reserve", checkout)
    cart.add("oaken-buckler", variant=None)  # another tab, meanwhile

    assert step(shop, "clear_cart", checkout, cart=outcome["cart"]) == {"cleared": False}
    assert len(cart.get()["items"]) == 2


def test_a_whole_cash_on_delivery_checkout_takes_10_dynamodb_calls_and_reads_nothing_twice(shop: Cloud) -> None:
    """From POST /checkout to a placed order with the cart cleared, through every step the saga runs."""
    from nozzly.kernel.adapters import aws

    cart = guest_cart(shop)
    cart.add(quantity=2)
    cart.add(variant=GILDED)
    cart.add("oaken-buckler", variant=None)
    calls: list[tuple[str, str]] = []

    def count(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.append((model.name, json.dumps(params.get("Key") or params.get("RequestItems"), sort_keys=True)))

    shop.apply_environment(shop.environments["Checkout"])
    aws.client("dynamodb").meta.events.register("before-parameter-build.dynamodb", count)
    checkout = check_out(cart).body["id"]
    outcome = step(shop, "reserve", checkout)
    step(shop, "place_order", checkout)
    step(shop, "clear_cart", checkout, cart=outcome["cart"])
    aws.client("dynamodb").meta.events.unregister("before-parameter-build.dynamodb", count)

    assert status(shop, checkout)["status"] == "placed"
    operations = [name for name, _ in calls]
    assert operations == [
        "BatchGetItem",  # store, existing checkout, cart, shipping method, tax rate, guest session
        "BatchGetItem",  # the cart's products
        "TransactWriteItems",  # the checkout + its cart reminder learns the email
        "GetItem",  # reserve: the checkout
        "BatchGetItem",  # its products
        "TransactWriteItems",  # status + stock holds (+ the coupon's use)
        "GetItem",  # place the order: the checkout
        "UpdateItem",  # the store's order number
        "TransactWriteItems",  # the order + status
        "TransactWriteItems",  # the cart and its reminder, if the cart is unchanged
    ], operations
    reads = [key for name, key in calls if name in ("GetItem", "BatchGetItem")]
    twice = {key for key in reads if reads.count(key) > 1}
    # Read again on purpose, and only these: the products (prices when the checkout starts, stock on hand when
    # it reserves) and the checkout (by the two steps that act on all of it).
    assert len(reads) == len(set(reads)) + 2
    assert all("PRODUCT#" in key or "CHECKOUT#" in key for key in twice), twice


def test_a_shoppers_order_records_what_they_bought(shop: Cloud) -> None:
    from tests.functional.test_carts import shopper_cart

    sam = shopper_cart(shop)
    sam.add("oaken-buckler", variant=None)
    event = api_event(
        "POST /stores/{store}/me/checkout",
        path_parameters={"store": STORE},
        body=BODY,
        headers={"idempotency-key": "key-shopper-1"},
        claims=sam.claims,
    )
    started = shop.http("Checkout", event)
    assert started.status == 202, started.body
    checkout = started.body["id"]
    step(shop, "reserve", checkout)
    step(shop, "place_order", checkout)

    bought = shop.item("OrdersTable", STORE, f"PURCHASE#{sam.claims and sam.claims['sub']}#oaken-buckler")
    assert bought is not None and from_item(bought)["order_id"] == checkout


def test_holding_the_last_items_takes_the_product_out_of_the_in_stock_filter_until_released(shop: Cloud) -> None:
    def in_stock() -> bool:
        item = shop.item("CatalogTable", STORE, "PRODUCT#shadow-dagger")
        assert item is not None
        return bool(from_item(item)["in_stock"])

    cart = guest_cart(shop)
    cart.add("shadow-dagger", 7, variant=None)  # all 7 on hand
    checkout = check_out(cart).body["id"]

    step(shop, "reserve", checkout)
    held = in_stock()
    step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})

    assert (held, in_stock()) == (False, True)


def test_one_id_follows_a_checkout_from_the_request_through_the_saga_into_its_logs(
    shop: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=1)
    body = BODY | {"session_id": cart.params["session"]}
    event = api_event(
        "POST /stores/{store}/checkout",
        path_parameters={"store": STORE},
        body=body,
        headers={"idempotency-key": "key-corr-0001", "x-correlation-id": "erp-order-77821"},
    )
    started = shop.http("Checkout", event)
    assert started.status == 202, started.body

    sfn = shop.client("stepfunctions")
    machine = shop.environments["Checkout"]["CHECKOUT_STATE_MACHINE_ARN"]
    (execution,) = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])["correlation_id"] == (
        "erp-order-77821"
    )
    logs = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", logs)
    # As the state machine hands it over: "correlation_id.$": "$$.Execution.Input.correlation_id".
    assert step(shop, "reserve", started.body["id"], correlation_id="erp-order-77821")["held"] is True
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.startswith('{"level"')]
    assert lines and {line.get("correlation_id") for line in lines} == {"erp-order-77821"}
