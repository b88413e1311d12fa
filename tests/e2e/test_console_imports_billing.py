"""The console's product import and plan pages in a real browser: an owner imports a supplier's product and
follows it to the draft; reads their plan, its usage and the plans on sale, on a desktop and on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import PHONE, serious_violations, shot  # page and chromium: registered by conftest
from tests.e2e.conftest import LocalCloud, eventually
from tests.e2e.console import console_errors, log_in
from tests.e2e.operators import PASSWORD, call, open_ready_store
from tests.e2e.operators import log_in as sign_up

pytestmark = pytest.mark.e2e
OWNER_EMAIL = "owner@wick-works.test"
COLD = 45_000  # a view's first call can meet a cold function on a shared machine


@pytest.fixture(scope="module")
def store(local_cloud: LocalCloud) -> str:
    """A new owner's ready store with one category: their plan's trial started with it."""
    token = sign_up(local_cloud, "", OWNER_EMAIL)
    store = open_ready_store(local_cloud, token, "Wick Works")
    made = call(local_cloud, "POST", f"/admin/stores/{store}/categories", token, {"name": "Lighting"})
    assert made.status == 201, made.body
    # A cold function on a busy 2-core machine can outlast its 10 s timeout (500): the pages' routes are started
    # here, so the browser meets them warm.
    paths = (f"/admin/stores/{store}/imports/imp_{'0' * 20}", f"/admin/stores/{store}/products", "/billing", "/plans")
    for path in paths:
        warm = eventually(answer(local_cloud, path, token), lambda s: s in (200, 404), timeout=120)
        assert warm in (200, 404), (path, warm)
    return store


def answer(cloud: LocalCloud, path: str, token: str) -> Callable[[], int]:
    """A probe of the route's status (0: no answer in time)."""

    def probe() -> int:
        try:
            return call(cloud, "GET", path, token).status
        except TimeoutError:
            return 0

    return probe


def test_the_owner_imports_a_suppliers_product_and_opens_the_draft(
    page: Page, local_cloud: LocalCloud, store: str, supplier: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, f"/s/{store}/imports")
    expect(page.get_by_role("heading", name="Import a product", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_role("navigation", name="Console").get_by_role("link", name="Import")).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("Category").select_option("lighting")
    link = page.get_by_label("Product link")
    link.fill("http://10.0.0.1/products/EL-100.json")
    page.get_by_role("button", name="Import as a draft").click()
    # The API's reason shows at the field it names, and what was typed stays.
    expect(page.locator(".field.has-error")).to_contain_text("10.0.0.1", timeout=COLD)
    expect(link).to_have_value("http://10.0.0.1/products/EL-100.json")
    assert serious_violations(page) == []

    link.fill(f"{supplier}/products/EL-100.json")
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.get_by_role("heading", name="Product import", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_text("The draft is ready.")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    shot(page, "import-done-1280")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)  # the sidebar slides away (a 0.15 s transition) before the picture
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the side
    shot(page, "import-done-360")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Open the draft").click()
    expect(page.get_by_role("heading", name="Ember Glass Table Lamp", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_role("main")).to_contain_text("Draft")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Import").click()
    expect(page.get_by_role("link", name=re.compile(r"EL-100\.json$"))).to_be_visible(timeout=COLD)
    assert errors == []


def test_the_owner_reads_their_plan_its_usage_and_the_plans_on_sale(
    page: Page, local_cloud: LocalCloud, store: str
) -> None:
    errors = console_errors(page)
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, "/")
    page.get_by_role("link", name="Plan and billing").click()
    expect(page.get_by_role("heading", name="Plan and billing", level=1)).to_be_visible(timeout=COLD)
    usage = page.get_by_role("table", name="Usage against the plan's limits")
    expect(usage.get_by_role("row", name=re.compile(r"^Stores"))).to_contain_text("1 of 5", timeout=COLD)
    expect(usage.get_by_role("row", name=re.compile(rf"^Products {re.escape(store)}"))).to_contain_text("of 5,000")
    expect(page.get_by_text("Trialing")).to_be_visible()
    plans = page.get_by_role("list", name="Plans on sale").get_by_role("listitem")
    expect(plans).to_have_count(3)
    expect(plans.filter(has_text="Your plan")).to_have_count(1)
    growth = plans.filter(has=page.get_by_role("heading", name=re.compile("^Growth")))
    expect(growth).to_contain_text("Your plan")
    expect(growth).to_contain_text("14 days free to try")
    expect(plans.filter(has=page.get_by_role("heading", name="Pro", exact=True))).to_contain_text("€249.00")
    shot(page, "billing-1280")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the side
    shot(page, "billing-360")
    assert serious_violations(page) == []
    assert errors == []


def test_the_trialing_owner_subscribes_through_stripes_hosted_checkout(
    page: Page, local_cloud: LocalCloud, store: str
) -> None:
    log_in(page, local_cloud, OWNER_EMAIL, PASSWORD, "/billing")
    expect(page.get_by_role("heading", name="Plan and billing", level=1)).to_be_visible(timeout=COLD)
    expect(page.get_by_role("button", name="Card, invoices and cancellation")).to_have_count(0)  # no customer yet
    page.get_by_role("button", name="Subscribe to Pro, billed every month").click()
    # POST /billing/checkout answered Stripe's hosted page (the local peer's): the owner pays there, not here.
    expect(page.get_by_role("heading", name="Subscribe")).to_be_visible(timeout=COLD)
    expect(page.get_by_text(re.compile(r"open, 24900 EUR"))).to_be_visible()
    shot(page, "billing-checkout-1280")
