"""The console's orders in a real browser: a shopper's orders placed over the API are found by a filter,
shipped with tracking, refunded in part and marked paid; a staff member sees orders but cannot refund."""

from __future__ import annotations

import re
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, ViewportSize, expect

from localcloud.payments import config
from tests.e2e.browser import DESKTOP, serious_violations, shot
from tests.e2e.conftest import LocalCloud
from tests.e2e.console import console_errors, console_url, log_in
from tests.e2e.operators import PASSWORD, call, invite
from tests.e2e.shop import check_out, guest_cart, open_store, placed_order, put_product, settled

pytestmark = pytest.mark.e2e
STORE = "console-orders-forge"
OWNER_EMAIL = "owner@console-orders.test"
STAFF_EMAIL = "packer@console-orders.test"
LAMP = "harbour-lamp"
TABLET = ViewportSize(width=820, height=1100)
FIRST_LOAD = 30_000  # a view's first requests start cold functions in the local cloud


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The store's owner (access token): a Stripe-ready store selling lamps at 42.00 EUR."""
    token = open_store(local_cloud, STORE, "Console Orders Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, LAMP, 50, price=4200)
    return token


def card_order(cloud: LocalCloud, email: str, quantity: int = 1) -> str:
    """A guest's order paid by card (Stripe PaymentIntent confirmed at the local Stripe peer): its id."""
    body: dict[str, Any] = {
        "session_id": guest_cart(cloud, STORE, LAMP, quantity),
        "email": email,
        "payment_method": "stripe_payment_intent",
    }
    waiting = check_out(cloud, STORE, body, until=("awaiting_payment", "placed", "failed"))
    client = stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})
    client.v1.payment_intents.confirm(waiting["payment"]["payment_id"], params={"payment_method": "pm_card_visa"})
    assert settled(cloud, STORE, waiting["id"])["status"] == "placed"
    return str(waiting["id"])


def euros(minor: int) -> str:
    """How the console (en-GB) shows an amount of EUR minor units."""
    return f"€{minor // 100:,}.{minor % 100:02d}"


def total_of(cloud: LocalCloud, token: str, order: str) -> int:
    """The order's total in minor units, as the API answers it (shipping and tax included)."""
    found = call(cloud, "GET", f"/admin/stores/{STORE}/orders/{order}", token)
    assert found.status == 200, found.body
    return int(found.json()["totals"]["total"]["amount"])


def resize(page: Page, size: ViewportSize) -> None:
    page.set_viewport_size(size)
    page.wait_for_timeout(400)  # the console's sidebar slides out of the way below 900 px


def open_order(page: Page, cloud: LocalCloud, order: str, email: str = OWNER_EMAIL) -> None:
    log_in(page, cloud, email, PASSWORD, f"/s/{STORE}/orders/{order}")
    expect(page.get_by_role("heading", name=re.compile(r"^Order #\d+"))).to_be_visible(timeout=FIRST_LOAD)


def state_of(page: Page) -> Any:
    return page.get_by_role("group", name="Order state")


def correct_tracking_then_deliver(page: Page, email: str) -> None:
    """On a shipped order's page: a corrected tracking number, then delivered; the list filtered by status has it."""
    page.get_by_role("button", name="Edit tracking").click()
    page.get_by_label("Tracking number").fill("JD014600009999")
    page.get_by_role("button", name="Save tracking").click()
    expect(page.get_by_role("link", name="Tracking JD014600009999")).to_be_visible(timeout=FIRST_LOAD)
    page.get_by_role("button", name="Mark as delivered").click()
    expect(state_of(page)).to_contain_text("Delivered", timeout=FIRST_LOAD)
    expect(page.get_by_role("button", name="Mark as delivered")).to_have_count(0)

    page.get_by_role("link", name="All orders").click()
    page.get_by_label("Status").select_option(label="Delivered")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row").filter(has_text="@example.com")).to_have_count(1, timeout=FIRST_LOAD)
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("Delivered")


def test_an_order_found_by_its_email_is_shipped_with_a_carrier_and_tracking_number(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    card_order(local_cloud, "someone-else@example.com")
    shipped = card_order(local_cloud, "ada.ship@example.com", 2)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/orders")
    expect(page.get_by_role("heading", name="Orders")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_role("row").filter(has_text="someone-else@example.com")).to_have_count(1, timeout=FIRST_LOAD)

    page.get_by_label("Customer email").fill("ada.ship@example.com")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_role("row").filter(has_text="@example.com")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ada.ship@example.com")
    expect(rows.first).to_contain_text(euros(total_of(local_cloud, owner, shipped)))
    page.reload()  # the filter lives in the address: a reload (or a shared link) shows the same list
    expect(page.get_by_label("Customer email")).to_have_value("ada.ship@example.com", timeout=FIRST_LOAD)
    expect(page.get_by_role("row").filter(has_text="@example.com")).to_have_count(1)
    assert serious_violations(page) == []
    shot(page, "list-filtered-desktop")
    page.get_by_label("Customer email").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row").filter(has_text="@example.com")).to_have_count(2)
    resize(page, TABLET)
    shot(page, "list-tablet")
    resize(page, DESKTOP)

    page.get_by_role("row").filter(has_text="ada.ship@example.com").get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Order #\d+"))).to_be_visible(timeout=FIRST_LOAD)
    expect(state_of(page)).to_contain_text("Pending")
    page.get_by_role("button", name="Ship items").click()
    page.get_by_label("Carrier", exact=True).select_option(label="DHL")
    page.get_by_label("Tracking number").fill("JD014600006281")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Ship items").click()

    expect(state_of(page)).to_contain_text("Shipped", timeout=60_000)
    expect(page.get_by_text("Tracking JD014600006281")).to_be_visible()
    expect(page.get_by_role("link", name="Tracking JD014600006281")).to_have_attribute("href", re.compile("dhl"))
    expect(page.get_by_role("button", name="Ship items")).to_have_count(0)
    expect(page.get_by_role("listitem").filter(has_text="Fulfilment of 2 items created")).to_have_count(1)
    assert serious_violations(page) == []
    shot(page, "detail-shipped-desktop")
    resize(page, TABLET)
    shot(page, "detail-shipped-tablet")
    resize(page, DESKTOP)

    correct_tracking_then_deliver(page, "ada.ship@example.com")
    assert errors == []


def test_part_of_a_paid_order_is_refunded_and_the_refund_shows(page: Page, local_cloud: LocalCloud, owner: str) -> None:
    errors = console_errors(page)
    order = card_order(local_cloud, "grace.refund@example.com", 2)
    total = total_of(local_cloud, owner, order)
    open_order(page, local_cloud, order)
    expect(state_of(page)).to_contain_text("Paid")

    page.get_by_role("button", name="Refund", exact=True).click()
    expect(page.get_by_label("Amount (EUR)")).to_have_value(f"{total // 100}.{total % 100:02d}")
    page.get_by_label("Amount (EUR)").fill("10.00")
    page.get_by_role("button", name="Refund…").click()
    expect(page.get_by_text("Say why you refund; it is kept in the order's history.")).to_be_visible()
    page.get_by_label("Reason").fill("Scratched lid")
    page.get_by_role("button", name="Refund…").click()
    dialog = page.get_by_role("dialog", name="Refund this order?")
    expect(dialog).to_contain_text("€10.00")
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="Refund €10.00").click()

    expect(state_of(page)).to_contain_text("Partially refunded")
    refunds = page.get_by_role("list", name="Refunds")
    expect(refunds.get_by_role("listitem")).to_have_count(1)
    expect(refunds).to_contain_text("€10.00")
    expect(refunds).to_contain_text("Scratched lid")
    expect(page.get_by_role("definition").filter(has_text=euros(total - 1000))).to_have_count(1)  # refundable now
    expect(page.get_by_role("definition").filter(has_text="−€10.00")).to_have_count(1)  # refunded, under the totals
    assert serious_violations(page) == []
    shot(page, "detail-refunded-desktop")
    assert errors == []


def test_a_cash_on_delivery_order_is_marked_paid(page: Page, local_cloud: LocalCloud, owner: str) -> None:
    errors = console_errors(page)
    order = placed_order(local_cloud, STORE, LAMP, "cash.buyer@example.com")
    open_order(page, local_cloud, order)
    expect(state_of(page)).to_contain_text("Awaiting payment")
    expect(page.get_by_role("button", name="Refund", exact=True)).to_have_count(0)  # nothing paid to refund

    page.get_by_role("button", name="Mark as paid").click()
    dialog = page.get_by_role("dialog", name="Mark this order as paid?")
    expect(dialog).to_contain_text(euros(total_of(local_cloud, owner, order)))
    dialog.get_by_role("button", name="Mark as paid").click()

    expect(state_of(page)).to_contain_text("Paid")
    expect(state_of(page)).not_to_contain_text("Awaiting payment")
    expect(page.get_by_role("button", name="Mark as paid")).to_have_count(0)
    expect(page.get_by_role("listitem").filter(has_text="collected")).to_have_count(1)
    assert serious_violations(page) == []
    shot(page, "detail-cash-paid")
    assert errors == []


def test_a_staff_member_sees_orders_and_ships_but_cannot_refund(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    order = card_order(local_cloud, "staff.view@example.com")
    invite(local_cloud, owner, STORE, STAFF_EMAIL, "staff")
    log_in(page, local_cloud, STAFF_EMAIL, PASSWORD, f"/s/{STORE}/orders")
    expect(page.get_by_role("row").filter(has_text="staff.view@example.com")).to_have_count(1, timeout=FIRST_LOAD)
    assert serious_violations(page) == []

    page.goto(console_url(local_cloud, f"/s/{STORE}/orders/{order}"))
    expect(page.get_by_role("heading", name=re.compile(r"^Order #\d+"))).to_be_visible(timeout=FIRST_LOAD)
    expect(state_of(page)).to_contain_text("Paid")
    expect(page.get_by_role("button", name="Ship items")).to_be_visible()
    expect(page.get_by_role("button", name="Refund", exact=True)).to_have_count(0)
    assert serious_violations(page) == []
    shot(page, "detail-staff")
    assert errors == []


def test_an_order_entered_by_hand_keeps_what_was_typed_when_refused_and_opens_when_created(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/orders/new")
    expect(page.get_by_role("heading", name="New order")).to_be_visible(timeout=FIRST_LOAD)
    page.get_by_label("Find a product").fill("harbour")
    page.get_by_role("button", name="Add Harbour Lamp Default").click(timeout=FIRST_LOAD)
    page.get_by_label("Quantity of Harbour Lamp Default").fill("3")
    page.get_by_label("Customer email").fill("walk-in@example.com")
    page.get_by_label("Name").fill("Walk In")
    page.get_by_role("button", name="Create order").click()

    expect(page.get_by_role("alert")).to_contain_text("request is not valid", timeout=FIRST_LOAD)  # the API's message
    expect(page.get_by_label("Address line 1")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Customer email")).to_have_value("walk-in@example.com")
    expect(page.get_by_label("Quantity of Harbour Lamp Default")).to_have_value("3")
    assert serious_violations(page) == []
    shot(page, "new-order-refused")

    page.get_by_label("Address line 1").fill("Markt 1")
    page.get_by_label("Postal code").fill("10115")
    page.get_by_label("City").fill("Berlin")
    page.get_by_role("button", name="Create order").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Order #\d+"))).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_role("main")).to_contain_text("Manual entry")
    expect(page.get_by_role("row").filter(has_text="Harbour Lamp")).to_contain_text("3")
    expect(page.get_by_role("link", name="walk-in@example.com")).to_be_visible()
    assert serious_violations(page) == []
    assert errors == []
