"""The operator's inbox, end to end in the local cloud: a guest's order placed over the API goes through the checkout
saga, its OrderPlaced reaches the bus, the bus's rule invokes NotificationFeed, and the store owner's inbox shows
the order (unread) within seconds; marking it read over the API clears the unread count. In the console, the top
bar's bell counts the unread ones and leads to the inbox, where they are marked read, and to the preferences."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud
from tests.e2e.console import DEMO_STORE, console_errors, log_in_as_owner
from tests.e2e.shop import open_store, operator, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "bell-forge"
OWNER_EMAIL = "owner@bell-forge.test"


def test_a_placed_order_reaches_the_owners_inbox_and_is_marked_read(local_cloud: LocalCloud) -> None:
    owner = open_store(local_cloud, STORE, "Bell Forge", OWNER_EMAIL, payouts=False)
    put_product(local_cloud, STORE, "bell-lamp", 5)
    order = placed_order(local_cloud, STORE, "bell-lamp", "buyer@bell-forge.test")
    inbox = f"/admin/stores/{STORE}/notifications"

    def page() -> dict[str, Any]:
        found: dict[str, Any] = operator(local_cloud, owner, "GET", inbox).json()
        return found

    shown = local_cloud.eventually(page, lambda p: any(i["kind"] == "order_placed" for i in p.get("items", [])), 30)
    (item,) = [i for i in shown["items"] if i["kind"] == "order_placed"]
    assert item["link"] == f"#/s/{STORE}/orders/{order}" and item["read_at"] is None
    assert shown["unread"] >= 1

    read = operator(local_cloud, owner, "POST", f"{inbox}/{item['id']}/read")
    assert read.status == 200 and read.json()["read_at"] is not None
    after = page()
    assert after["unread"] == shown["unread"] - 1
    assert not [
        i for i in operator(local_cloud, owner, "GET", f"{inbox}?unread=true").json()["items"] if i["id"] == item["id"]
    ]


def _low_stock_on_the_bus(cloud: LocalCloud, title: str) -> None:
    detail = {
        "store_id": DEMO_STORE,
        "product": "bell-tower",
        "variant": "default",
        "title": title,
        "variant_title": "Default",
        "sku": "BELL-1",
        "available": 2,
        "threshold": 3,
    }
    entry = {"EventBusName": cloud.names["EventBus"], "Source": "nozzly.inventory", "DetailType": "LowStock"}
    answer = cloud.client("events").put_events(Entries=[entry | {"Detail": json.dumps(detail)}])
    assert not answer.get("FailedEntryCount"), answer


def test_the_bell_counts_unread_and_the_inbox_marks_them_read(page: Page, local_cloud: LocalCloud) -> None:
    errors = console_errors(page)
    _low_stock_on_the_bus(local_cloud, "Bronze Bell")
    _low_stock_on_the_bus(local_cloud, "Silver Bell")
    log_in_as_owner(page, local_cloud)
    bell = page.get_by_role("link", name="Notifications, ", exact=False)
    # The seed notifies nobody (its data is written, not announced); the bell asks again every 30 s.
    expect(bell).to_have_attribute("aria-label", "Notifications, 2 unread", timeout=40_000)
    shot(page, "bell")

    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_role("link", name="Low stock: Bronze Bell (Default)")).to_be_visible()
    expect(page.get_by_role("link", name="Low stock: Silver Bell (Default)")).to_be_visible()
    shot(page, "inbox")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Mark read: Low stock: Bronze Bell (Default)").click()
    expect(page.get_by_role("button", name="Mark read: Low stock: Bronze Bell (Default)")).to_have_count(0)
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("All read")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # the bell shows no count

    page.get_by_role("link", name="Preferences").click()
    expect(page.get_by_role("heading", name="Notification preferences")).to_be_visible()
    page.get_by_label("Low stock").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Preferences saved")).to_be_visible()
    shot(page, "preferences")
    assert serious_violations(page) == []

    page.reload()
    expect(page.get_by_label("Low stock")).not_to_be_checked()
    expect(page.get_by_label("Order placed")).to_be_checked()
    assert errors == []
