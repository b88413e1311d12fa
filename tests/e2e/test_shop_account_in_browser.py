"""A shopper's account in a real browser: sign up, confirm with the emailed code, log in, and find the order
placed with the account in the history and its detail; looked at on a desktop and a phone, checked with axe.

One shopper signs up (the local cloud allows 20 sign-ups an hour per IP, and every browser request comes from
127.0.0.1).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import DEMO_STORE, LocalCloud
from tests.e2e.operators import call, code_for
from tests.e2e.shop import check_out

pytestmark = pytest.mark.e2e

EMAIL = f"browser-{int(time.time())}@example.test"
PASSWORD = "walnut-42-tree"
PRODUCT = "ember-longsword"


def access_token(tab: Page) -> str:
    """The page's HttpOnly access cookie, as the shopper's own API client would hold the token."""
    found = [c["value"] for c in tab.context.cookies() if c["name"] == "nz_access"]
    assert found, tab.context.cookies()
    return found[0]


def order_as_shopper(cloud: LocalCloud, token: str) -> dict[str, Any]:
    added = call(cloud, "POST", f"/stores/{DEMO_STORE}/me/cart/items", token, {"product": PRODUCT, "quantity": 1})
    assert added.status == 200, added.body
    placed = check_out(cloud, DEMO_STORE, {"email": EMAIL, "payment_method": "cash_on_delivery"}, token=token)
    assert placed["status"] == "placed", placed
    return placed


def test_a_shopper_signs_up_logs_in_and_finds_their_order(
    local_cloud: LocalCloud,
    page: Page,
    phone_page: Page,
) -> None:
    base = f"{local_cloud.api_url}/shop/{DEMO_STORE}/account"
    page.goto(f"{base}/signup")
    shot(page, "signup")
    page.get_by_label("Your name").fill("Sam Browser")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/verify?*")
    assert page.get_by_role("heading", name="Check your email").is_visible()

    page.get_by_label("6-digit code").fill(code_for(local_cloud, EMAIL))
    page.get_by_role("button", name="Confirm email").click()
    page.wait_for_url(f"{base}/login?*")
    assert page.get_by_text("Your email is confirmed").is_visible()
    shot(page, "login")
    assert serious_violations(page) == []

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base)
    assert page.get_by_role("heading", name="Hello, Sam Browser").is_visible()

    placed = order_as_shopper(local_cloud, access_token(page))
    number = local_cloud.eventually(
        lambda: (page.reload(), page.locator("table.orders a").all_inner_texts())[1], bool, 20
    )
    assert len(number) == 1
    shot(page, "account")
    assert serious_violations(page) == []

    page.get_by_role("link", name=number[0]).click()
    page.wait_for_url(f"{base}/orders/{placed['id']}")
    assert page.get_by_role("heading", name=f"Order {number[0]}").is_visible()
    assert page.get_by_role("button", name="Cancel this order").is_visible()
    shot(page, "order")
    assert serious_violations(page) == []

    cookies: list[Any] = list(page.context.cookies())  # Cookie and SetCookieParam hold the same keys
    phone_page.context.add_cookies(cookies)
    phone_page.goto(base)
    shot(phone_page, "account-phone")
    phone_page.goto(f"{base}/orders/{placed['id']}")
    shot(phone_page, "order-phone")
    assert serious_violations(phone_page) == []
    phone_page.context.clear_cookies()
    phone_page.goto(f"{base}/login")
    shot(phone_page, "login-phone")
