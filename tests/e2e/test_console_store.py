"""The console's dashboard and the store's own pages in a real browser: the owner reads the day's revenue and
redraws the sales chart, makes a coupon, changes a setting and sees it in the history, invites a staff member;
that staff member sees neither revenue nor the admin pages."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, Route, ViewportSize, expect

from tests import image_samples as samples
from tests.e2e.browser import (
    DESKTOP,
    new_context,
    serious_violations,
    shot,
)  # page and chromium: registered by conftest
from tests.e2e.conftest import LocalCloud, eventually, http_request
from tests.e2e.console import console_errors, console_url, log_in
from tests.e2e.operators import PASSWORD, address_of, call, invitation_token
from tests.e2e.operators import log_in as sign_up
from tests.e2e.shop import ADDRESS, open_store, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "quire-forge"
OWNER_EMAIL = "owner@quire-forge.test"
STAFF_EMAIL = "clerk@quire-forge.test"
TABLET = ViewportSize(width=820, height=1180)
# First views start functions cold on a shared machine: the first expectation after a navigation waits longer.
COLD = 45_000


def dashboard(cloud: LocalCloud, token: str) -> dict[str, Any] | None:
    """The owner's dashboard, or None while its function is still starting on a busy machine."""
    try:
        found = call(cloud, "GET", f"/admin/stores/{STORE}/dashboard", token)
    except TimeoutError:
        return None
    assert found.status == 200, found.body
    body: dict[str, Any] = found.json()
    return body


def counted(d: dict[str, Any] | None) -> bool:
    return d is not None and d["revenue"]["today"]["current"]["orders"] == 1 and d["pipeline"].get("pending") == 1


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The store with one lamp sold today, counted on the dashboard before any browser opens it."""
    token = open_store(local_cloud, STORE, "Quire Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, "quire-lamp", 20, price=4200)
    placed_order(local_cloud, STORE, "quire-lamp", "ada@example.com")
    eventually(lambda: dashboard(local_cloud, token), counted, timeout=120)
    return token


def no_violations(page: Page) -> None:
    assert serious_violations(page) == []


def test_the_owner_reads_revenue_and_redraws_the_chart(page: Page, local_cloud: LocalCloud, owner: str) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}")

    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible(timeout=COLD)
    today = page.get_by_role("region", name="Today")
    expect(today).to_contain_text("1 order", timeout=COLD)
    expect(today.get_by_text(re.compile(r"€\s?[1-9][\d,]*\.\d\d"))).to_be_visible()  # the lamp, shipping, tax
    expect(page.get_by_text("Your role does not include revenue")).to_have_count(0)
    pending = page.get_by_role("link", name=re.compile(r"^1\s*Pending$"))
    expect(pending).to_have_attribute("href", re.compile(r"/orders\?status=pending$"))
    expect(page.get_by_role("link", name="Quire Lamp")).to_be_visible()

    figures = page.get_by_role("table", name=re.compile(r"^Net sales per day"))
    expect(figures.locator("tbody tr")).to_have_count(30, timeout=COLD)
    page.get_by_role("button", name="7 days").click()
    expect(page.get_by_role("button", name="7 days")).to_have_attribute("aria-pressed", "true")
    expect(figures.locator("tbody tr")).to_have_count(7)
    expect(page.locator("svg.dash-chart rect")).to_have_count(7)  # the chart is aria-hidden: its bars have no role
    page.get_by_role("button", name="Show the figures").click()
    expect(figures).to_be_visible()
    shot(page, "dashboard-1280")
    no_violations(page)

    page.set_viewport_size(TABLET)
    page.get_by_role("button", name="90 days").click()
    expect(figures.locator("tbody tr")).to_have_count(90)
    shot(page, "dashboard-820")
    no_violations(page)

    first = date.today() - timedelta(days=40)
    page.get_by_role("button", name="Custom").click()
    page.get_by_label("First day").fill(first.isoformat())
    page.get_by_label("Last day").fill((first + timedelta(days=13)).isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    expect(figures.locator("tbody tr")).to_have_count(14, timeout=COLD)
    expect(page.get_by_text("No sales in these days")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    assert errors == []


def test_the_owner_makes_a_coupon_and_sees_a_setting_in_its_history(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/coupons")
    expect(page.get_by_role("heading", name="Coupons", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_text("No coupons yet.")).to_be_visible(timeout=COLD)
    page.get_by_role("link", name="New coupon").click()
    page.get_by_label("Code").fill("WELCOME10")
    page.get_by_label("Percent off").fill("ten")
    page.get_by_role("button", name="Create coupon").click()
    expect(page.get_by_text("A percent from 0.01 to 100, like 15 or 12.5.")).to_be_visible()
    expect(page.get_by_label("Code")).to_have_value("WELCOME10")  # nothing typed is lost
    page.get_by_label("Percent off").fill("10")
    page.get_by_label("Minimum order (EUR)").fill("25.00")
    shot(page, "coupon-form")
    no_violations(page)
    page.get_by_role("button", name="Create coupon").click()

    row = page.get_by_role("row", name=re.compile("WELCOME10"))
    expect(row).to_contain_text("10 % off", timeout=COLD)
    expect(row).to_contain_text("€25.00")
    expect(row).to_contain_text("Active")
    shot(page, "coupons")
    no_violations(page)

    page.get_by_role("link", name="Edit WELCOME10").click()
    expect(page.get_by_label("Percent off")).to_have_value("10", timeout=COLD)
    page.get_by_label("Percent off").fill("15")
    page.get_by_role("button", name="Save changes").click()
    expect(row).to_contain_text("15 % off", timeout=COLD)

    row.get_by_role("button", name="Delete WELCOME10").click()
    page.get_by_role("dialog", name="Delete coupon WELCOME10?").get_by_role("button", name="Delete coupon").click()
    expect(page.get_by_text("No coupons yet.")).to_be_visible(timeout=COLD)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_label("Time zone")).to_have_value("UTC", timeout=COLD)
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_label("Order number prefix").fill("QF-")
    page.get_by_role("button", name="Save general settings").click()
    expect(page.get_by_role("alert").first).to_contain_text("IANA time zone", timeout=COLD)
    expect(page.get_by_label("Order number prefix")).to_have_value("QF-")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save general settings").click()

    history = page.get_by_role("list", name="General settings history")
    expect(history.get_by_role("listitem").first).to_contain_text("Version 2", timeout=COLD)
    expect(history.get_by_role("listitem").first).to_contain_text("order number prefix")
    expect(history.get_by_role("listitem").first).to_contain_text("time zone")
    expect(history.get_by_role("listitem").first).to_contain_text(OWNER_EMAIL)
    shot(page, "settings-history")
    no_violations(page)

    every_section_opens_at_tablet_width(page)
    assert errors == []


def test_the_dashboard_below_the_chart_stays_put_while_the_sales_load(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    """The chart keeps its room while its sales load: what lies below it (the attention list, its links) does not
    move when the chart arrives. The test holds the sales report's answer until it has measured."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route(re.compile(r"/reports/sales\b"), hold)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}")
    below = page.get_by_role("heading", name="Needs attention")
    expect(below).to_be_visible(timeout=COLD)
    expect(page.get_by_text("Loading sales…")).to_be_visible()
    while_loading = below.bounding_box()
    shot(page, "dashboard-chart-loading")
    assert held, "the chart asked for no sales"
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/reports/sales\b"))
    expect(page.locator("svg.dash-chart")).to_be_visible(timeout=COLD)
    loaded = below.bounding_box()
    assert while_loading is not None and loaded is not None
    assert abs(loaded["y"] - while_loading["y"]) <= 2, (while_loading, loaded)


def every_section_opens_at_tablet_width(page: Page) -> None:
    page.set_viewport_size(TABLET)
    tabs = page.get_by_role("navigation", name="Settings sections")
    for section, shows in (
        ("Store details", "Store name"),
        ("Branding", "Brand colour"),
        ("Tax", "Standard rate (%)"),
        ("Shipping", "Price (EUR)"),
    ):
        tabs.get_by_role("link", name=section).click()
        expect(page.get_by_label(shows).first).to_be_visible(timeout=COLD)
        no_violations(page)
    shot(page, "settings-shipping-820")
    tabs.get_by_role("link", name="Store details").click()
    page.get_by_label("Niche").fill("stationery")
    page.get_by_role("button", name="Save store details").click()
    expect(page.get_by_text("Store details saved")).to_be_visible(timeout=COLD)
    page.reload()
    expect(page.get_by_label("Niche")).to_have_value("stationery", timeout=COLD)
    tabs.get_by_role("link", name="Payouts").click()
    expect(page.get_by_text("Card payments are on.")).to_be_visible(timeout=COLD)
    no_violations(page)
    page.set_viewport_size(DESKTOP)


def test_an_invited_staff_member_sees_neither_revenue_nor_admin_pages(
    page: Page, chromium: Browser, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/staff")
    expect(page.get_by_role("heading", name="Staff", level=1)).to_be_visible(timeout=COLD)
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Role").select_option("staff")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(STAFF_EMAIL)))).to_contain_text("Staff", timeout=COLD)
    shot(page, "staff-invited")
    no_violations(page)

    token = invitation_token(local_cloud, STAFF_EMAIL)
    accepted = call(
        local_cloud,
        "POST",
        "/auth/invitations/accept",
        body={"token": token, "password": PASSWORD},
        source=address_of(STAFF_EMAIL),
    )
    assert accepted.status == 200, accepted.body

    # The clerk works on a browser of their own.
    clerk = new_context(chromium)
    try:
        look_as_staff(clerk.new_page(), local_cloud)
    finally:
        clerk.close()
    owner_manages_the_team(page)
    assert errors == []


def owner_manages_the_team(page: Page) -> None:
    """Back on the owner's page: promote the clerk, remove them, invite someone else and revoke that."""
    page.reload()
    member = page.get_by_role("row", name=re.compile(re.escape(STAFF_EMAIL)))
    role = member.get_by_label(f"Role of {STAFF_EMAIL}")
    expect(role).to_have_value("staff", timeout=COLD)
    role.select_option("admin")
    asked = page.get_by_role("dialog", name=f"Make {STAFF_EMAIL} an admin?")
    expect(asked).to_contain_text("see the store's revenue")
    shot(page, "staff-role-confirm")
    asked.get_by_role("button", name="Cancel").click()
    expect(role).to_have_value("staff")  # a change not confirmed is not made
    expect(asked).to_be_hidden()
    role.select_option("admin")
    expect(asked).to_be_visible()
    page.keyboard.press("Escape")  # the browser closes it: a cancel too
    expect(asked).to_be_hidden()
    expect(role).to_have_value("staff")
    cancel_and_choose_again_at_once(page, STAFF_EMAIL, "admin")
    page.wait_for_timeout(500)  # the closing dialog's own close event comes a task later
    expect(asked).to_be_visible()
    asked.get_by_role("button", name="Make admin").click()
    expect(page.get_by_text(f"{STAFF_EMAIL} is now admin")).to_be_visible(timeout=COLD)
    expect(role).to_have_value("admin", timeout=COLD)
    member.get_by_role("button", name=f"Remove {STAFF_EMAIL}").click()
    confirm = page.get_by_role("dialog", name=f"Remove {STAFF_EMAIL}?")
    confirm.get_by_role("button", name="Remove from the store").click()
    expect(member).to_have_count(0, timeout=COLD)

    page.get_by_label("Email").fill("temp@quire-forge.test")
    page.get_by_role("button", name="Send invitation").click()
    invitation = page.get_by_role("row", name=re.compile("temp@quire-forge.test"))
    expect(invitation).to_be_visible(timeout=COLD)
    invitation.get_by_role("button", name="Revoke the invitation of temp@quire-forge.test").click()
    expect(invitation).to_have_count(0, timeout=COLD)
    expect(page.get_by_text("No invitation is waiting.")).to_be_visible()


def cancel_and_choose_again_at_once(page: Page, email: str, role: str) -> None:
    """Opens the role dialog, cancels it and picks the role again before the page has finished closing it:
    the list has redrawn, the dialog is still on its way out."""
    page.evaluate(
        """async ([label, role]) => {
            const select = [...document.querySelectorAll("select")].find((s) => s.labels[0]?.textContent === label);
            const dialog = select.closest("td").querySelector("dialog");
            select.value = role;
            select.dispatchEvent(new Event("change", { bubbles: true }));
            while (!dialog.open) await new Promise((r) => setTimeout(r, 10));
            [...dialog.querySelectorAll("button")].find((b) => b.textContent.trim() === "Cancel").click();
            for (let i = 0; i < 100 && select.value === role; i++) await Promise.resolve();
            select.value = role;
            select.dispatchEvent(new Event("change", { bubbles: true }));
        }""",
        [f"Role of {email}", role],
    )


def look_as_staff(page: Page, local_cloud: LocalCloud) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, STAFF_EMAIL, PASSWORD, f"/s/{STORE}")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_text("Your role does not include revenue")).to_be_visible(timeout=COLD)
    expect(page.get_by_role("region", name="Today")).to_have_count(0)
    expect(page.get_by_role("heading", name="Net sales")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^\d+\s*Pending$"))).to_be_visible()
    sidebar = page.get_by_role("navigation", name="Console")
    expect(sidebar.get_by_role("link", name="Reviews")).to_be_visible()
    for hidden in ("Settings", "Coupons", "Staff"):
        expect(sidebar.get_by_role("link", name=hidden)).to_have_count(0)
    shot(page, "staff-dashboard")
    no_violations(page)

    page.goto(console_url(local_cloud, f"/s/{STORE}/settings"))
    page.reload()  # opened as a link is: a fresh load of that address
    expect(page.get_by_role("heading", name="Not available to your role")).to_be_visible(timeout=COLD)
    expect(page.get_by_label("Time zone")).to_have_count(0)
    shot(page, "staff-settings-refused")
    assert errors == []


def test_the_owner_uploads_a_logo_and_sees_the_branding_in_its_history(
    page: Page, local_cloud: LocalCloud, owner: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}/settings?section=branding")
    expect(page.get_by_label("Sender name")).to_be_visible(timeout=COLD)
    logo = page.get_by_label("Logo", exact=True)
    logo.set_input_files(files=FilePayload(name="logo.png", mimeType="image/png", buffer=samples.png(120, 48)))
    expect(page.get_by_role("button", name="Remove logo")).to_be_visible(timeout=COLD)
    expect(page.get_by_role("img", name="The store's logo")).to_be_visible()
    page.get_by_label("Brand colour", exact=True).fill("#1e3a8a")
    page.get_by_role("button", name="Save branding settings").click()

    latest = page.get_by_role("list", name="Branding settings history").get_by_role("listitem").first
    expect(latest).to_contain_text("Version 2", timeout=COLD)
    expect(latest).to_contain_text("brand colour")
    expect(latest).to_contain_text("logo")
    shot(page, "branding-with-logo")
    no_violations(page)
    assert errors == []


def bought_and_reviewed(cloud: LocalCloud, email: str) -> None:
    """A shopper buys the lamp through the checkout saga, then reviews it (only buyers may)."""
    shopper = sign_up(cloud, f"/stores/{STORE}", email)
    added = call(cloud, "POST", f"/stores/{STORE}/me/cart/items", shopper, {"product": "quire-lamp", "quantity": 1})
    assert added.status == 200, added.body
    body = {
        "email": email,
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": "cash_on_delivery",
    }
    headers = {
        "content-type": "application/json",
        "authorization": f"Bearer {shopper}",
        "idempotency-key": uuid.uuid4().hex,
    }
    started = http_request(f"{cloud.api_url}/stores/{STORE}/me/checkout", "POST", headers, json.dumps(body).encode())
    assert started.status == 202, started.body
    checkout = started.json()["id"]
    placed = cloud.eventually(
        lambda: call(cloud, "GET", f"/stores/{STORE}/checkouts/{checkout}").json(),
        lambda p: p["status"] in ("placed", "failed"),
        timeout=60,
    )
    assert placed["status"] == "placed", placed
    review = {"rating": 4, "title": "Warm light", "text": "Lights the whole workbench."}
    posted = call(cloud, "POST", f"/stores/{STORE}/products/quire-lamp/reviews", shopper, review)
    assert posted.status == 202, posted.body


# Last in the module: the order it places changes the dashboard's counts the first test reads.
def test_the_owner_approves_a_buyers_review_from_the_dashboard(page: Page, local_cloud: LocalCloud, owner: str) -> None:
    bought_and_reviewed(local_cloud, "rae@quire-forge.test")
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{STORE}")
    expect(page.get_by_role("heading", name="Reviews waiting for a decision")).to_be_visible(timeout=COLD)
    page.get_by_role("link", name="4★ review of quire-lamp").click()

    expect(page.get_by_role("heading", name="Reviews", level=1)).to_be_visible(timeout=COLD)
    row = page.get_by_role("row", name=re.compile("Lights the whole workbench"))
    expect(row).to_contain_text("rae@quire-forge.test", timeout=COLD)
    expect(row).to_contain_text("Pending")
    shot(page, "reviews-queue")
    no_violations(page)
    row.get_by_role("button", name="Approve the review by rae@quire-forge.test").click()
    expect(page.get_by_text("No reviews are waiting.")).to_be_visible(timeout=COLD)

    page.get_by_label("Show").select_option("approved")
    expect(row).to_contain_text("Approved", timeout=COLD)
    expect(row.get_by_role("button", name="Reject the review by rae@quire-forge.test")).to_be_visible()
    assert errors == []
