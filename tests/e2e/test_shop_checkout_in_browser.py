"""Buying in a real browser: cart, checkout, the card forms of Stripe and Square (the local peers' stand-ins of
their browser libraries), cash on delivery, a declined card, a product that sells out while in the cart."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud
from tests.e2e.shop import open_store, put_product

pytestmark = pytest.mark.e2e
STORE = "glassworks"
PAID = 60_000  # ms: the status page refreshes until the webhook or the saga has placed the order


@pytest.fixture(scope="module")
def shop(local_cloud: LocalCloud) -> Iterator[str]:
    open_store(local_cloud, STORE, "Glassworks", "owner@glassworks.test")
    for slug, stock, price in (("blue-vase", 50, 3900), ("amber-bowl", 50, 2450), ("last-lamp", 1, 8900)):
        put_product(local_cloud, STORE, slug, stock, price=price)
    yield f"{local_cloud.api_url}/shop/{STORE}"


def snap(page: Page, name: str) -> None:
    """A screenshot from the top (a focused field lower down scrolls the sticky header into the middle)."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def add(page: Page, shop: str, slug: str, quantity: int = 1) -> None:
    """What the product page's add-to-cart form posts (the browser's cookies, its CSRF token)."""
    if not any(c["name"] == "nz_csrf" for c in page.context.cookies()):
        page.goto(f"{shop}/cart")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "nz_csrf")
    answer = page.request.post(
        f"{shop}/cart/items", form={"csrf": token, "product": slug, "quantity": str(quantity)}, max_redirects=0
    )
    assert answer.status == 303, answer.text()


def address_step(page: Page, shop: str, email: str) -> None:
    page.goto(f"{shop}/checkout")
    page.fill("#f-email", email)
    page.fill("#f-ship_name", "Sam Shopper")
    page.fill("#f-ship_line1", "Hauptstrasse 1")
    page.fill("#f-ship_postal_code", "10115")
    page.fill("#f-ship_city", "Berlin")
    page.fill("#f-ship_country", "DE")


def to_payment(page: Page) -> None:
    page.get_by_role("button", name="Continue to shipping and payment").click()
    expect(page.get_by_role("heading", name="Shipping and payment")).to_be_visible()


def stripe_card(page: Page, number: str) -> None:
    page.fill("#nz-card-number", number)
    page.fill("#nz-card-expiry", "12 / 34")
    page.fill("#nz-card-cvc", "123")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def test_a_guest_buys_two_products_with_a_stripe_card(shop: str, page: Page) -> None:
    add(page, shop, "blue-vase")
    add(page, shop, "amber-bowl", 2)
    page.goto(f"{shop}/cart")
    expect(page.locator(".cart-line")).to_have_count(2)
    expect(page.locator(".cart-link .count")).to_have_text("3")
    snap(page, "cart")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Checkout").click()
    address_step(page, shop, "vase@example.com")
    snap(page, "checkout")
    assert serious_violations(page) == []
    to_payment(page)
    snap(page, "shipping-and-payment")
    assert serious_violations(page) == []
    page.get_by_label("Card", exact=False).first.check()
    page.get_by_role("button", name="Place order").click()

    expect(page.locator("#nz-card-number")).to_be_visible(timeout=PAID)
    snap(page, "payment")
    assert serious_violations(page) == []
    stripe_card(page, "4242 4242 4242 4242")

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=PAID)
    expect(page.locator(".order-number")).to_have_text(re.compile(r"Order \S*\d+"))
    expect(page.locator(".mini-lines li")).to_have_count(2)
    snap(page, "confirmation")
    assert serious_violations(page) == []


def test_a_declined_card_says_so_and_another_card_then_pays(shop: str, phone_page: Page) -> None:
    page = phone_page
    add(page, shop, "blue-vase")
    address_step(page, shop, "declined@example.com")
    to_payment(page)
    page.locator('input[value="stripe_payment_intent"]').check()
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#nz-card-number")).to_be_visible(timeout=PAID)

    stripe_card(page, "4000 0000 0000 0002")
    expect(page.locator("#card-errors")).to_contain_text("declined")
    snap(page, "declined")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Try another card").click()
    expect(page.locator("#f-ship_line1")).to_have_count(0)  # the payment step again, the address kept
    expect(page.get_by_text("Hauptstrasse 1")).to_be_visible()
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#nz-card-number")).to_be_visible(timeout=PAID)
    stripe_card(page, "4242 4242 4242 4242")

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=PAID)
    snap(page, "confirmation-phone")


def test_a_buyer_pays_with_square(shop: str, page: Page) -> None:
    add(page, shop, "amber-bowl")
    address_step(page, shop, "square@example.com")
    to_payment(page)
    page.locator('input[value="square_card"]').check()
    expect(page.locator("#sq-card-number")).to_be_visible()
    page.fill("#sq-card-number", "4111 1111 1111 1111")
    page.fill("#sq-card-expiry", "12/34")
    page.fill("#sq-card-cvc", "111")
    page.fill("#sq-card-postal", "10115")
    snap(page, "square-card")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=PAID)
    expect(page.get_by_text("Your card has been charged")).to_be_visible()


def test_a_buyer_chooses_cash_on_delivery(shop: str, phone_page: Page) -> None:
    page = phone_page
    add(page, shop, "blue-vase", 2)
    page.goto(f"{shop}/cart")
    snap(page, "cart-phone")
    assert serious_violations(page) == []
    address_step(page, shop, "cash@example.com")
    snap(page, "checkout-phone")
    to_payment(page)
    page.locator('input[value="cash_on_delivery"]').check()
    snap(page, "payment-choice-phone")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=PAID)
    expect(page.get_by_text("Pay on delivery")).to_be_visible()
    expect(page.locator(".cart-link .count")).to_have_text("0")


def test_a_product_that_sells_out_while_in_the_cart_cannot_be_bought(shop: str, chromium: Browser) -> None:
    from tests.e2e.browser import new_context

    first, second = new_context(chromium).new_page(), new_context(chromium).new_page()
    add(first, shop, "last-lamp")
    add(second, shop, "last-lamp")
    address_step(second, shop, "late@example.com")
    to_payment(second)  # the second shopper is about to pay ...

    address_step(first, shop, "early@example.com")  # ... when the first buys the last one
    to_payment(first)
    first.locator('input[value="cash_on_delivery"]').check()
    first.get_by_role("button", name="Place order").click()
    expect(first.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=PAID)

    second.locator('input[value="cash_on_delivery"]').check()
    second.get_by_role("button", name="Place order").click()
    expect(second.locator("#place-error")).to_contain_text("Last Lamp")
    expect(second.locator("#place-error")).to_contain_text("out of stock")
    snap(second, "sold-out")
    assert serious_violations(second) == []
    second.goto(f"{shop}/cart")
    expect(second.get_by_text("Sold out")).to_be_visible()
    snap(second, "sold-out-cart")
    first.context.close()
    second.context.close()
