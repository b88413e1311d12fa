"""Carts through the Carts function: a guest's by session id, a shopper's by token, merging, coupons."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponKind
from tests.functional.auth_helpers import AuthApi, api_event, token_claims
from tests.functional.harness import STORE, Cloud, HttpResponse, product_payload, product_step, seed_store

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
EMBER, GILDED = "ember-longsword", "gilded"  # 12900 standard (12 in stock); gilded 15900, 2 in stock


@dataclass(frozen=True)
class CartApi:
    cloud: Cloud
    base: str  # the route prefix, e.g. "/stores/{store}/carts/{session}"
    params: dict[str, str]
    claims: dict[str, str] | None = None

    def call(self, method: str, suffix: str = "", body: Any = None, **params: str) -> HttpResponse:
        event = api_event(
            f"{method} {self.base}{suffix}", path_parameters=self.params | params, body=body, claims=self.claims
        )
        return self.cloud.http("Carts", event)

    def get(self) -> dict[str, Any]:
        response = self.call("GET")
        assert response.status == 200, response.body
        body: dict[str, Any] = response.body
        return body

    def add(self, product: str = EMBER, quantity: int = 1, variant: str | None = "standard") -> HttpResponse:
        body: dict[str, Any] = {"product": product, "quantity": quantity}
        return self.call("POST", "/items", body | ({"variant_id": variant} if variant else {}))

    def set(self, variant: str, quantity: int, product: str = EMBER) -> HttpResponse:
        item = f"{product}:{variant}"
        return self.call("PATCH", "/items/{item}", {"quantity": quantity}, item=item)


def guest_session(cloud: Cloud, store: str = STORE) -> str:
    response = cloud.http(
        "ShopperAccount", api_event("POST /stores/{store}/sessions", path_parameters={"store": store})
    )
    assert response.status == 201, response.body
    return str(response.body["session_id"])


def guest_cart(cloud: Cloud, session: str | None = None) -> CartApi:
    params = {"store": STORE, "session": session or guest_session(cloud)}
    return CartApi(cloud, "/stores/{store}/carts/{session}", params)


def shopper_cart(cloud: Cloud, email: str = "sam@example.com", store: str = STORE) -> CartApi:
    tokens = AuthApi(cloud, store).registered(email, "walnut-42")
    return CartApi(cloud, "/stores/{store}/me/cart", {"store": store}, token_claims(tokens["access_token"]))


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)  # a German store: its default tax rules charge 19 %
    return cloud


def _amount(money: dict[str, Any] | None) -> int | None:
    return None if money is None else int(money["amount"])


def test_a_guest_fills_a_cart_and_sees_totals_with_tax(shop: Cloud) -> None:
    cart = guest_cart(shop)
    assert cart.add(quantity=2).status == 200
    added = cart.add("oaken-buckler", 1, variant=None)  # one variant: no need to name it

    assert added.status == 200, added.body
    body = added.body
    assert [(i["product"], i["quantity"], _amount(i["unit_price"])) for i in body["items"]] == [
        (EMBER, 2, 12900),
        ("oaken-buckler", 1, 5900),
    ]
    assert body["item_count"] == 3
    totals = {k: _amount(v) for k, v in body["totals"].items() if isinstance(v, dict)}
    assert totals == {"subtotal": 31700, "discount": 0, "shipping": 0, "tax": 6023, "total": 37723}
    assert body["totals"]["tax_rate_basis_points"] == 1900
    assert cart.get() == body  # a returning visitor recovers it by session id
    expires = time.mktime(time.strptime(body["expires_at"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert abs(expires - (time.time() + 24 * 3600)) < 60


def test_more_than_is_in_stock_is_refused_naming_the_line_and_changes_nothing(shop: Cloud) -> None:
    cart = guest_cart(shop)
    assert cart.add(variant=GILDED, quantity=2).status == 200

    refused = cart.add(variant=GILDED, quantity=1)

    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "out_of_stock"
    assert refused.body["error"]["message"] == "only 2 of MF-EMBER-GLD left"
    assert [i["quantity"] for i in cart.get()["items"]] == [2]
    assert cart.add("moonlit-rapier", variant=None).body["error"]["message"] == "MF-MOONLIT-RAPIER is out of stock"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product": "tower-shield"}, "product"),  # a draft
        ({"product": "no-such-thing"}, "product"),
        ({"product": EMBER}, "variant_id"),  # two variants: which?
        ({"product": EMBER, "variant_id": "nope"}, "variant_id"),
        ({"product": EMBER, "variant_id": "standard", "quantity": 0}, "quantity"),
        ({"product": EMBER, "variant_id": "standard", "quantity": 100}, "quantity"),
        ({"product": EMBER, "variant_id": "standard", "quantity": "2"}, "quantity"),
    ],
)
def test_bad_additions_are_refused_with_the_field(shop: Cloud, body: dict[str, Any], field: str) -> None:
    cart = guest_cart(shop)

    response = cart.call("POST", "/items", body)

    assert response.status in (400, 404), response.body
    assert response.body["error"]["fields"][0]["field"] == field
    assert cart.get()["items"] == []


def test_an_unknown_guest_session_has_no_cart(shop: Cloud) -> None:
    response = guest_cart(shop, "x" * 43).add()

    assert response.status == 404 and response.body["error"]["fields"][0]["field"] == "session"


def test_quantities_change_lines_go_and_the_cart_clears(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=1)
    cart.add(variant=GILDED)

    assert [i["quantity"] for i in cart.set("standard", 5).body["items"]] == [5, 1]
    assert cart.set("standard", 13).status == 409  # 12 in stock
    assert [i["variant_id"] for i in cart.set("standard", 0).body["items"]] == [GILDED]
    assert cart.call("DELETE", "/items/{item}", item=f"{EMBER}:{GILDED}").body["items"] == []
    cart.add()
    cleared = cart.call("DELETE")
    assert cleared.status == 200 and cleared.body["items"] == [] and cleared.body["item_count"] == 0
    assert cart.set("standard", 1).status == 404


def test_a_price_change_since_adding_is_flagged_and_totals_use_todays_price(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add("oaken-buckler", 2, variant=None)
    shop.invoke("CatalogImport", product_step(product_payload("oaken-buckler", "shields", 30, amount=6500)))

    line = cart.get()["items"][0]

    assert (_amount(line["unit_price"]), _amount(line["current_unit_price"]), line["price_changed"]) == (
        5900,
        6500,
        True,
    )
    assert _amount(cart.get()["totals"]["subtotal"]) == 13000


def test_a_line_no_longer_sold_is_shown_unavailable_and_left_out_of_the_totals(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add("oaken-buckler", 1, variant=None)
    cart.add(quantity=1)
    shop.invoke("CatalogImport", product_step(product_payload("oaken-buckler", "shields", 30, status="draft")))

    body = cart.get()

    assert [(i["product"], i["state"]) for i in body["items"]] == [
        ("oaken-buckler", "unavailable"),
        (EMBER, "available"),
    ]
    assert _amount(body["totals"]["subtotal"]) == 12900
    assert cart.set("no-such-variant", 1).status == 404


def test_an_expired_cart_is_never_served(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    table = shop.names["CartsTable"]
    item = shop.client("dynamodb").scan(TableName=table)["Items"][0]
    shop.client("dynamodb").update_item(
        TableName=table,
        Key={"pk": item["pk"], "sk": item["sk"]},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )

    assert cart.get()["items"] == []
    assert [i["quantity"] for i in cart.add().body["items"]] == [1]  # a fresh cart replaces it


def _coupon(cloud: Cloud, code: str, **fields: Any) -> None:
    defaults: dict[str, Any] = {"kind": CouponKind.PERCENT, "value": 1000, "currency": "EUR"}
    CouponsRepository(cloud.names["StoresTable"]).create(Coupon(store_id=STORE, code=code, **(defaults | fields)))


def test_a_coupon_discounts_before_tax(shop: Cloud) -> None:
    _coupon(shop, "TENOFF")
    cart = guest_cart(shop)
    cart.add(quantity=1)

    applied = cart.call("PUT", "/coupon", {"code": " tenoff "})

    assert applied.status == 200, applied.body
    totals = {k: _amount(v) for k, v in applied.body["totals"].items() if isinstance(v, dict)}
    assert totals == {"subtotal": 12900, "discount": 1290, "shipping": 0, "tax": 2206, "total": 13816}
    assert applied.body["coupon"] == {"code": "TENOFF", "problem": None}
    removed = cart.call("DELETE", "/coupon")
    assert removed.body["coupon"] is None and _amount(removed.body["totals"]["discount"]) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_subtotal": 20000}, "this code needs a subtotal of at least 200.00"),
        ({"valid_until": 1_000_000}, "this code has expired"),
        ({"max_uses": 3, "uses": 3}, "this code has been used up"),
        ({"categories": frozenset({"shields"})}, "no item in the cart qualifies for this code"),
        ({"active": False}, "this code is not active"),
    ],
)
def test_a_coupon_that_does_not_apply_is_refused_with_the_reason(
    shop: Cloud, fields: dict[str, Any], message: str
) -> None:
    _coupon(shop, "PROMO", **fields)
    cart = guest_cart(shop)
    cart.add()

    refused = cart.call("PUT", "/coupon", {"code": "PROMO"})

    assert refused.status == 400
    assert refused.body["error"]["code"] == "coupon_not_applicable"
    assert refused.body["error"]["message"] == message
    assert cart.get()["coupon"] is None
    assert cart.call("PUT", "/coupon", {"code": "NOPE"}).body["error"]["message"] == "no such code"


def test_a_category_coupon_discounts_only_that_category_and_its_subtree(shop: Cloud) -> None:
    _coupon(shop, "BLADES20", value=2000, categories=frozenset({"blades"}))
    cart = guest_cart(shop)
    cart.add("oaken-buckler", 1, variant=None)  # shields: not discounted
    cart.add("shadow-dagger", 1, variant=None)  # daggers sit under blades

    applied = cart.call("PUT", "/coupon", {"code": "BLADES20"})

    assert _amount(applied.body["totals"]["discount"]) == 780  # 20 % of 3900


def test_a_shoppers_cart_is_theirs_and_a_guest_cart_merges_in_capped_by_stock(shop: Cloud) -> None:
    sam = shopper_cart(shop)
    sam.add(variant=GILDED, quantity=1)
    guest = guest_cart(shop)
    guest.add(variant=GILDED, quantity=2)
    guest.add("oaken-buckler", 3, variant=None)

    merged = sam.call("POST", "/merge", {"session_id": guest.params["session"]})

    assert merged.status == 200, merged.body
    assert [(i["id"], i["quantity"]) for i in merged.body["items"]] == [
        (f"{EMBER}:{GILDED}", 2),
        ("oaken-buckler:default", 3),
    ]
    assert sam.get() == merged.body
    assert guest.get()["items"] == []  # the guest cart is gone
    again = sam.call("POST", "/merge", {"session_id": guest.params["session"]})
    assert again.status == 200 and again.body["items"] == merged.body["items"]  # nothing added twice


def test_a_shopper_token_of_another_store_is_refused(shop: Cloud) -> None:
    seed_store(shop, "other-forge")
    stranger = shopper_cart(shop, "sam@example.com", store="other-forge")
    theirs = CartApi(shop, "/stores/{store}/me/cart", {"store": STORE}, stranger.claims)

    assert theirs.call("GET").status == 401


def test_reading_a_cart_is_two_dynamodb_calls_and_adding_to_it_three(shop: Cloud) -> None:
    from nozzly.kernel.adapters import aws

    cart = guest_cart(shop)
    cart.add(variant=GILDED)
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    shop.apply_environment(shop.environments["Carts"])
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", count)
    cart.get()
    read = list(calls)
    cart.add(quantity=1)
    aws.client("dynamodb").meta.events.unregister("before-call.dynamodb", count)

    # store + cart + guest session; then products + tax rate (+ code)
    assert read == ["BatchGetItem", "BatchGetItem"]
    # store + cart + session + the product added; the conditional write; the new cart's snapshot
    assert calls[len(read) :] == ["BatchGetItem", "PutItem", "BatchGetItem"]
