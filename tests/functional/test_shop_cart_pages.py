"""The cart pages: adding, changing, removing, codes and the shipping estimate, each through the cart service."""

from __future__ import annotations

import re

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.page_helpers import Browser, Page

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
CART = f"/shop/{STORE}/cart"


def add(browser: Browser, product: str = "oaken-buckler", quantity: int | str = 1, **extra: str) -> Page:
    browser.get(CART)  # the product page's form carries the CSRF cookie's token, as any page's would
    token = browser.cookies["nz_csrf"]
    return browser.post(f"{CART}/items", {"csrf": token, "product": product, "quantity": quantity, **extra})


def test_an_empty_cart_says_so_and_starts_no_session(seeded: Cloud) -> None:
    browser = Browser(seeded)
    page = browser.get(CART)

    assert page.status == 200
    assert "Your cart is empty" in page.html
    assert "nz_guest" not in browser.cookies


def test_a_guest_adds_a_product_and_sees_it_in_the_cart_with_the_count_in_the_header(seeded: Cloud) -> None:
    browser = Browser(seeded)
    added = add(browser, quantity=2)

    assert added.status == 303
    assert added.headers["location"] == CART
    assert browser.cookies["nz_cart"] == "2"
    page = browser.get(CART)
    assert "Oaken Buckler" in page.html
    assert "€118.00" in page.html
    assert 'aria-label="2 items">2</span>' in page.html


def test_changing_a_quantity_and_removing_a_line(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    page = browser.get(CART)
    item = re.search(r'action="/shop/mystmereforge/cart/items/([^"/]+)"', page.html)
    assert item
    changed = browser.post(f"{CART}/items/{item.group(1)}", {"csrf": page.csrf(), "quantity": "3"})
    assert changed.status == 303
    assert "€177.00" in browser.get(CART).html

    removed = browser.post(f"{CART}/items/{item.group(1)}/remove", {"csrf": page.csrf()})
    assert removed.status == 303
    assert "Your cart is empty" in browser.get(CART).html
    assert browser.cookies["nz_cart"] == "0"


@pytest.mark.parametrize("quantity", ["two", "-1", "1000", ""])
def test_a_bad_quantity_shows_the_cart_again_with_the_problem_not_a_crash(seeded: Cloud, quantity: str) -> None:
    browser = Browser(seeded)
    page = add(browser, quantity=quantity)

    assert page.status == 400
    assert "quantity" in page.html
    assert 'class="alert error"' in page.html


def test_adding_more_than_is_in_stock_says_how_many_are_left(seeded: Cloud) -> None:
    page = add(Browser(seeded), product="frost-sabre", quantity=5)

    assert page.status == 409
    assert "Only 2 of" in page.html
    assert "left." in page.html


def test_an_unknown_product_is_a_clear_404_page(seeded: Cloud) -> None:
    page = add(Browser(seeded), product="no-such-thing")

    assert page.status == 404
    assert "No such product for sale." in page.html


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    page = browser.get(CART)
    refused = browser.post(f"{CART}/items", {"product": "oaken-buckler", "quantity": "1"})
    forged = browser.post(f"{CART}/items", {"csrf": "forged", "product": "oaken-buckler", "quantity": "1"})

    assert refused.status == 403 and forged.status == 403
    assert "This form has expired" in refused.html
    assert browser.get(CART).html.count("€59.00") == page.html.count("€59.00")
    assert browser.cookies["nz_cart"] == "1"


def test_an_unknown_code_is_refused_in_plain_words(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    page = browser.post(f"{CART}/coupon", {"csrf": browser.get(CART).csrf(), "code": "NOPE"})

    assert page.status == 400
    assert "The code “NOPE” cannot be used. No such code." in page.html


def test_a_forged_guest_cookie_starts_a_new_session(seeded: Cloud) -> None:
    browser = Browser(seeded)
    browser.cookies["nz_guest"] = "x" * 43
    added = add(browser)

    assert added.status == 303
    assert browser.cookies["nz_guest"] != "x" * 43
    assert "Oaken Buckler" in browser.get(CART).html


def test_the_estimate_shows_each_shipping_option_with_its_totals(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    page = browser.get(CART, query="country=DE&postal_code=10115")

    assert page.status == 200
    assert "Shipping" in page.html
    assert page.html.count('class="option"') >= 1


def test_an_estimate_for_a_malformed_country_says_what_to_enter(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    page = browser.get(CART, query="country=Germany")

    assert page.status == 400
    assert "two-letter code" in page.html


def test_a_code_gives_its_discount_and_can_be_removed(seeded: Cloud) -> None:
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.promotions.domain.coupons import Coupon, CouponKind

    CouponsRepository(seeded.names["StoresTable"]).create(Coupon(STORE, "FIVE", CouponKind.FIXED, 500, "EUR"))
    browser = Browser(seeded)
    add(browser)
    applied = browser.post(f"{CART}/coupon", {"csrf": browser.cookies["nz_csrf"], "code": "five"})
    assert applied.status == 303

    page = browser.get(CART)
    assert "<strong>FIVE</strong> applied" in page.html
    assert "<dt>Discount</dt><dd>−€5.00</dd>" in page.html

    removed = browser.post(f"{CART}/coupon/remove", {"csrf": page.csrf()})
    assert removed.status == 303
    assert "Discount</dt>" not in browser.get(CART).html


def test_a_signed_out_guest_whose_session_ended_sees_an_empty_cart_and_a_zero_count(seeded: Cloud) -> None:
    browser = Browser(seeded)
    add(browser)
    browser.cookies["nz_guest"] = "y" * 43  # a session this store never started (or one that has ended)

    page = browser.get(CART)

    assert "Your cart is empty" in page.html
    assert 'aria-label="0 items">0</span>' in page.html
