"""Live updates in the console, in a real browser: the page joins the WebSocket API, and an order placed by a
shopper appears in the open orders list, with the bell's unread count, without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud, eventually
from tests.e2e.console import console_errors, log_in
from tests.e2e.operators import PASSWORD, call
from tests.e2e.shop import open_store, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "console-live-forge"
OWNER_EMAIL = "owner@console-live.test"
CANDLE = "tallow-candle"
FIRST_LOAD = 30_000  # a view's first requests start cold functions in the local cloud
# Placement, the bus, a cold notifier and the list's reload, on a busy 2-core machine.
LIVE = 30_000


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    token = open_store(local_cloud, STORE, "Console Live Forge", OWNER_EMAIL, payouts=False)
    put_product(local_cloud, STORE, CANDLE, 40, price=900)
    return token


def test_an_order_placed_while_the_list_is_open_appears_without_a_reload(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/orders")
    expect(page.get_by_role("heading", name="Orders")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_role("row").filter(has_text="first-live@example.com")).to_have_count(0)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    placed_order(local_cloud, STORE, CANDLE, "first-live@example.com")

    expect(page.get_by_role("row").filter(has_text="first-live@example.com")).to_have_count(1, timeout=LIVE)
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible(timeout=LIVE)
    assert navigations == []  # the list and the bell changed in place
    shot(page, "orders-live")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    page.wait_for_timeout(400)  # the sidebar slides away (a 0.15 s transition) before the picture
    shot(page, "orders-live-phone")
    assert serious_violations(page) == []
    assert errors == []


def test_the_dashboard_counts_an_order_placed_while_it_is_open_without_a_reload(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    """Its counters come from the orders table's stream, which may finish after the event: the page reads again."""
    # The dashboard's function started first: a cold one can outlast its 10 s on a busy machine.
    warm = eventually(lambda: _status(local_cloud, f"/admin/stores/{STORE}/dashboard", owner), lambda s: s == 200, 120)
    assert warm == 200
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}")
    today = page.get_by_role("region", name="Today")
    expect(today).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible(timeout=FIRST_LOAD)
    before = int(today.locator(".dash-stat-sub").inner_text().split()[0])
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    placed_order(local_cloud, STORE, CANDLE, "dashboard-live@example.com")

    expect(today.locator(".dash-stat-sub")).to_contain_text(re.compile(rf"^\s*{before + 1} orders? "), timeout=2 * LIVE)
    assert navigations == []
    shot(page, "dashboard-live")
    assert errors == []


def _status(cloud: LocalCloud, path: str, token: str) -> int:
    try:
        return call(cloud, "GET", path, token).status
    except TimeoutError:
        return 0
