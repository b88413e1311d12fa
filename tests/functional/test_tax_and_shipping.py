"""A store's tax and shipping rules as a shopper meets them: the shipping options for a cart and an address, and a
checkout that accepts only those, taxed for where the parcel goes, with its billing address kept on the order."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from nozzly.stores.domain.rules_fields import shipping_data, tax_data
from nozzly.stores.domain.shipping_rules import Band, RateKind, shipping_rate, shipping_settings, shipping_zone
from nozzly.stores.domain.tax_rules import tax_settings, tax_zone
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.settings_helpers import OWNER, join, saved, settings_call
from tests.functional.test_carts import GILDED, CartApi, guest_cart
from tests.functional.test_checkout import ADDRESS, check_out, status, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
PARIS = {"name": "Camille", "line1": "1 rue de Rivoli", "city": "Paris", "postal_code": "75001", "country": "FR"}


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)  # a German store in EUR with the default rules: Germany only, 19 %
    return cloud


def options(cart: CartApi, **where: str) -> HttpResponse:
    event = api_event(f"GET {cart.base}/shipping-options", path_parameters=cart.params, claims=cart.claims)
    event["rawQueryString"] = urlencode(where)
    event["queryStringParameters"] = where
    return cart.cloud.http("Carts", event)


def amounts(totals: dict[str, Any]) -> dict[str, int]:
    return {k: v["amount"] for k, v in totals.items() if isinstance(v, dict)}


def save_rules(cloud: Cloud, section: str, data: dict[str, Any]) -> None:
    """Saved by the store's owner through the settings routes, on the version they read."""
    join(cloud, OWNER, "owner", store=STORE, name="Forge")
    read = settings_call(cloud, "GET", f"/{section}", store=STORE)
    assert read.status == 200, read.body
    saved(cloud, section, data | {"version": read.body["version"]}, store=STORE)


def europe(cloud: Cloud) -> None:
    """Prices include VAT; France at 20 %; shipping to France by weight, free from 300.00."""
    tax = tax_settings(
        [tax_zone("Germany", ["DE"], standard_bp=1900, reduced_bp=700), tax_zone("France", ["FR"], standard_bp=2000)],
        prices_include_tax=True,
    )
    parcel = shipping_rate(
        "parcel", "Colissimo", RateKind.WEIGHT, days_min=3, days_max=6, bands=[Band(None, 990)], free_from=30000
    )
    ships = shipping_settings(
        [
            shipping_zone(
                "Germany", ["DE"], [shipping_rate("standard", "DHL", RateKind.FLAT, days_min=1, days_max=3, price=490)]
            ),
            shipping_zone("France", ["FR"], [parcel]),
        ]
    )
    save_rules(cloud, "tax", tax_data(tax))
    save_rules(cloud, "shipping", shipping_data(ships))


def test_a_new_store_offers_its_two_home_methods_each_with_the_carts_totals(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=1)  # 129.00

    answer = options(cart, country="de", postal_code="10115")

    assert answer.status == 200, answer.body
    assert answer.body["ships"] is True and answer.body["country"] == "DE"
    found = {
        o["method"]: (o["price"]["amount"], o["delivery_days_min"], amounts(o["totals"]))
        for o in answer.body["options"]
    }
    # (129.00 + 4.90) x 19 % = 25.441 -> 25.44; (129.00 + 14.90) x 19 % = 27.341 -> 27.34
    assert found == {
        "standard": (490, 3, {"subtotal": 12900, "discount": 0, "shipping": 490, "tax": 2544, "total": 15934}),
        "express": (1490, 1, {"subtotal": 12900, "discount": 0, "shipping": 1490, "tax": 2734, "total": 17124}),
    }


def test_an_address_the_store_does_not_ship_to_has_no_option_and_checkout_refuses_it(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=1)

    answer = options(cart, country="FR")
    assert answer.status == 200 and answer.body["ships"] is False and answer.body["options"] == []

    refused = check_out(cart, shipping_address=PARIS)
    assert refused.status == 400, refused.body
    assert refused.body["error"]["fields"][0]["field"] == "address.country"
    assert "does not ship to FR" in refused.body["error"]["message"]


@pytest.mark.parametrize(
    "query", [{"country": "FRA"}, {"country": "F1"}, {}, {"country": "DE", "postal_code": "x" * 21}]
)
def test_a_bad_destination_is_a_400_naming_the_field(shop: Cloud, query: dict[str, str]) -> None:
    cart = guest_cart(shop)
    answer = options(cart, **query)
    assert answer.status in (400, 422) and answer.status != 500, answer.body
    assert answer.body["error"]["fields"]


def test_gross_prices_a_foreign_zone_and_a_method_only_offered_there(shop: Cloud) -> None:
    europe(shop)
    cart = guest_cart(shop)
    cart.add(quantity=1)  # 129.00, now a price including VAT
    cart.add(variant=GILDED, quantity=1)  # 159.00

    france = options(cart, country="FR", postal_code="75001")
    (parcel,) = france.body["options"]
    # 288.00 + 9.90 = 297.90 including 20 %: 297.90 x 20 / 120 = 49.65
    assert parcel["method"] == "parcel" and amounts(parcel["totals"]) == {
        "subtotal": 28800,
        "discount": 0,
        "shipping": 990,
        "tax": 4965,
        "total": 29790,
    }
    assert parcel["totals"]["tax_included"] is True
    cart.add(quantity=1)  # 417.00: free shipping from 300.00
    (free,) = options(cart, country="FR").body["options"]
    assert free["price"]["amount"] == 0

    wrong = check_out(cart, shipping_address=PARIS)  # "standard" is Germany's, not France's
    assert wrong.status == 400 and wrong.body["error"]["fields"][0]["field"] == "shipping_method"
    assert "choose one of: parcel" in wrong.body["error"]["message"]


def test_the_billing_address_is_kept_on_the_order_or_is_the_shipping_address(shop: Cloud) -> None:
    europe(shop)
    cart = guest_cart(shop)
    cart.add(quantity=1)
    billing = ADDRESS | {"name": "Sam's Company GmbH", "line1": "Friedrichstrasse 10"}

    started = check_out(cart, shipping_address=PARIS, shipping_method="parcel", billing_address=billing)

    assert started.status == 202, started.body
    # 129.00 + 9.90 including 20 % French VAT: 138.90 x 20 / 120 = 23.15
    assert amounts(started.body["totals"])["tax"] == 2315 and amounts(started.body["totals"])["total"] == 13890
    checkout = started.body["id"]
    step(shop, "reserve", checkout)
    step(shop, "place_order", checkout)
    placed = status(shop, checkout)
    assert placed["status"] == "placed", placed
    order = shop.item("OrdersTable", STORE, f"ORDER#{checkout}")
    assert order is not None
    assert order["billing_address"]["M"]["name"]["S"] == "Sam's Company GmbH"
    assert order["shipping_address"]["M"]["city"]["S"] == "Paris"
