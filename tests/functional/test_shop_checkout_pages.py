"""The checkout pages: the address step, shipping and payment, placing through CheckoutService, the status page
as the saga's steps move the checkout (run here as the state machine runs them)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.page_helpers import Browser, Page

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SHOP = f"/shop/{STORE}"
ADDRESS = {
    "email": "sam@example.com",
    "ship_name": "Sam Shopper",
    "ship_line1": "Hauptstrasse 1",
    "ship_city": "Berlin",
    "ship_postal_code": "10115",
    "ship_country": "DE",
    "billing_same": "yes",
}


def with_cart(cloud: Cloud, product: str = "oaken-buckler", quantity: int = 1) -> Browser:
    browser = Browser(cloud)
    browser.get(f"{SHOP}/cart")
    added = browser.post(
        f"{SHOP}/cart/items", {"csrf": browser.cookies["nz_csrf"], "product": product, "quantity": quantity}
    )
    assert added.status == 303, added.html
    return browser


def payment_step(browser: Browser, **changes: str) -> Page:
    return browser.post(f"{SHOP}/checkout", {"csrf": browser.cookies["nz_csrf"], **ADDRESS, **changes})


def hidden_fields(page: Page) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.html))


def place(browser: Browser, page: Page, payment: str = "cash_on_delivery", method: str = "standard") -> Page:
    form: dict[str, Any] = hidden_fields(page) | {"shipping_method": method, "payment_method": payment}
    return browser.post(f"{SHOP}/checkout/place", form)


def step(cloud: Cloud, name: str, checkout_id: str, **extra: Any) -> Any:
    return cloud.invoke("CheckoutSteps", {"step": name, "store_id": STORE, "checkout_id": checkout_id} | extra)


def checkouts_in(cloud: Cloud) -> list[str]:
    return [i["sk"]["S"] for i in cloud.all_items("OrdersTable") if i["sk"]["S"].startswith("CHECKOUT#")]


def checkout_id(placed: Page) -> str:
    assert placed.status == 303, placed.html
    return placed.headers["location"].rsplit("/", 1)[-1]


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"{SHOP}/checkout")

    assert page.status == 303
    assert page.headers["location"] == f"{SHOP}/cart"


def test_the_address_step_asks_for_email_and_address(seeded: Cloud) -> None:
    page = with_cart(seeded).get(f"{SHOP}/checkout")

    assert page.status == 200
    for name in ("email", "ship_name", "ship_line1", "ship_city", "ship_postal_code", "ship_country", "billing_same"):
        assert f'name="{name}"' in page.html


def test_missing_and_bad_fields_show_the_form_again_with_what_to_fix(seeded: Cloud) -> None:
    browser = with_cart(seeded)
    page = payment_step(browser, email="not-an-email", ship_city="", ship_country="Germany")

    assert page.status == 400
    assert "Please enter the town or city." in page.html
    assert 'value="Hauptstrasse 1"' in page.html  # what was typed is kept
    assert page.html.count('aria-invalid="true"') >= 1


def test_a_bad_email_is_named(seeded: Cloud) -> None:
    page = payment_step(with_cart(seeded), email="not-an-email")

    assert page.status == 400
    assert 'id="p-email"' in page.html


def test_a_different_billing_address_must_be_complete(seeded: Cloud) -> None:
    page = payment_step(with_cart(seeded), billing_same="no")

    assert page.status == 400
    assert 'id="p-bill_name"' in page.html


def test_the_payment_step_offers_the_stores_shipping_methods_and_ways_to_pay(seeded: Cloud) -> None:
    page = payment_step(with_cart(seeded))

    assert page.status == 200
    assert 'name="shipping_method" value="standard"' in page.html
    assert 'name="payment_method" value="cash_on_delivery"' in page.html
    assert 'name="payment_method" value="stripe_payment_intent"' in page.html  # the seeded store's payouts are ready
    assert "€59.00" in page.html
    assert hidden_fields(page)["key"]


def test_cash_on_delivery_is_placed_and_the_page_becomes_the_confirmation(seeded: Cloud) -> None:
    browser = with_cart(seeded, quantity=2)
    the_id = checkout_id(place(browser, payment_step(browser)))

    waiting = browser.get(f"{SHOP}/checkout/{the_id}")
    assert waiting.status == 200
    assert '<meta http-equiv="refresh" content="2">' in waiting.html
    assert "Placing your order" in waiting.html

    outcome = step(seeded, "reserve", the_id)
    step(seeded, "place_order", the_id)
    step(seeded, "clear_cart", the_id, cart=outcome["cart"])
    done = browser.get(f"{SHOP}/checkout/{the_id}")
    assert "http-equiv" not in done.html
    assert "Thank you for your order" in done.html
    assert re.search(r"Order \w*100\d", done.html)
    assert "sam@example.com" in done.html
    assert "Pay on delivery" in done.html
    assert "2 × Oaken Buckler" in done.html
    assert browser.cookies["nz_cart"] == "0"


def test_a_double_submitted_form_starts_one_checkout(seeded: Cloud) -> None:
    browser = with_cart(seeded)
    form = payment_step(browser)

    first, second = place(browser, form), place(browser, form)

    assert checkout_id(first) == checkout_id(second)
    assert len(checkouts_in(seeded)) == 1


def test_placing_without_the_csrf_token_starts_nothing(seeded: Cloud) -> None:
    browser = with_cart(seeded)
    form = hidden_fields(payment_step(browser)) | {"shipping_method": "standard", "payment_method": "cash_on_delivery"}
    del form["csrf"]

    refused = browser.post(f"{SHOP}/checkout/place", form)

    assert refused.status == 403
    assert not checkouts_in(seeded)


def test_a_square_payment_without_a_card_token_asks_for_the_card(seeded: Cloud) -> None:
    browser = with_cart(seeded)
    page = payment_step(browser)
    if 'value="square_card"' not in page.html:
        pytest.skip("the functional stack has no Square script URL")
    refused = place(browser, page, payment="square_card")

    assert refused.status == 400
    assert "card token" in refused.html


def test_a_product_sold_out_while_in_the_cart_is_named_when_placing(seeded: Cloud) -> None:
    first, second = with_cart(seeded, "frost-sabre", 2), with_cart(seeded, "frost-sabre", 2)
    first_form, second_form = payment_step(first), payment_step(second)
    step(seeded, "reserve", checkout_id(place(first, first_form)))  # the last two are held for the first shopper

    refused = place(second, second_form)

    assert refused.status == 409
    assert "Frost Sabre" in refused.html
    assert "out of stock" in refused.html


def test_a_checkout_the_saga_refuses_says_why_and_keeps_the_cart(seeded: Cloud) -> None:
    first, second = with_cart(seeded, "frost-sabre", 2), with_cart(seeded, "frost-sabre", 2)
    a = checkout_id(place(first, payment_step(first)))
    b = checkout_id(place(second, payment_step(second)))
    assert step(seeded, "reserve", a)["held"] is True
    assert step(seeded, "reserve", b)["held"] is False

    page = second.get(f"{SHOP}/checkout/{b}")

    assert "Your order was not placed" in page.html
    assert "Frost Sabre" in page.html
    assert "Your cart is still here" in page.html
    assert "Frost Sabre" in second.get(f"{SHOP}/cart").html
    again = second.post(f"{SHOP}/checkout/{b}/retry", {"csrf": page.csrf()})
    assert again.status == 200
    assert 'value="Hauptstrasse 1"' in again.html  # the address comes back filled in
    assert hidden_fields(again)["key"] != ""
    assert "Place order" in again.html


def test_trying_again_is_only_for_the_checkouts_own_cart(seeded: Cloud) -> None:
    owner, stranger = with_cart(seeded), with_cart(seeded)
    the_id = checkout_id(place(owner, payment_step(owner)))
    step(seeded, "abandon", the_id, error=None)

    page = stranger.post(f"{SHOP}/checkout/{the_id}/retry", {"csrf": stranger.cookies["nz_csrf"]})

    assert page.status == 303
    assert page.headers["location"] == f"{SHOP}/checkout"


def test_an_unknown_checkout_is_a_404_page(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"{SHOP}/checkout/{'0' * 32}")

    assert page.status == 404


def test_a_signed_in_shopper_buys_from_their_own_cart_with_their_email_filled_in(seeded: Cloud) -> None:
    from tests.functional.auth_helpers import AuthApi

    tokens = AuthApi(seeded, STORE).registered("kim@example.com", "walnut-42", name="Kim")
    browser = Browser(seeded, cookies={"nz_access": tokens["access_token"]})
    browser.get(f"{SHOP}/cart")
    added = browser.post(
        f"{SHOP}/cart/items", {"csrf": browser.cookies["nz_csrf"], "product": "oaken-buckler", "quantity": 1}
    )
    assert added.status == 303
    assert "nz_guest" not in browser.cookies  # the shopper's own cart, no guest session

    form = browser.get(f"{SHOP}/checkout")
    assert 'value="kim@example.com"' in form.html

    the_id = checkout_id(place(browser, payment_step(browser, email="kim@example.com")))
    assert "Placing your order" in browser.get(f"{SHOP}/checkout/{the_id}").html


def test_the_confirmation_shows_the_orders_status_and_follows_it_by_its_tracking_token(seeded: Cloud) -> None:
    from nozzly.orders.domain.tracking import tracking_token

    key = "a-test-order-tracking-key-of-40-chars!!!"
    name = seeded.environments["ShopCheckoutPages"]["ORDER_TRACKING_KEY_PARAMETER"]
    seeded.client("ssm").put_parameter(Name=name, Value=key, Type="SecureString", Overwrite=True)
    browser = with_cart(seeded)
    the_id = checkout_id(place(browser, payment_step(browser)))
    outcome = step(seeded, "reserve", the_id)
    step(seeded, "place_order", the_id)
    step(seeded, "clear_cart", the_id, cart=outcome["cart"])

    done = browser.get(f"{SHOP}/checkout/{the_id}")

    assert re.search(r"Status: <strong[^>]*data-live-status>Received</strong>", done.html)
    token = tracking_token(key.encode(), STORE, the_id)
    assert f'data-room="order:{STORE}:{the_id}"' in done.html and f'data-token="{token}"' in done.html
    live = seeded.environments["ShopCheckoutPages"]["LIVE_URL"]
    assert f'data-live="{live}"' in done.html and "/shop-assets/live." in done.html
    assert live.rsplit("/", 1)[0] in done.headers["content-security-policy"]  # the page may open the socket
