"""Browsing the demo shop in Chromium: home, a category, a product (desktop and phone), search suggestions while
typing; each page screenshotted and checked with axe-core (no serious or critical violations)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud, eventually

pytestmark = pytest.mark.e2e
SHOP = "/shop/mystmereforge"


def settled(tab: Page) -> Page:
    """Scrolled through once, so the lazy pictures below the fold are loaded for a full-page screenshot."""
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_load_state("networkidle")
    tab.evaluate("window.scrollTo(0, 0)")
    return tab


def test_home_category_and_product_pages_on_a_desktop(local_cloud: LocalCloud, page: Page) -> None:
    page.goto(local_cloud.api_url + SHOP + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(local_cloud.demo["store"]["name"])
    expect(page.locator(".product-card").first).to_be_visible()
    shot(settled(page), "home-desktop")
    assert serious_violations(page) == []

    page.locator(".category-tiles a").first.click()
    expect(page).to_have_url(re.compile(r"/categories/[a-z0-9-]+$"))
    expect(page.locator(".crumbs")).to_contain_text("Home")
    expect(page.get_by_role("button", name="Show products")).to_be_visible()
    cards = page.locator(".product-card")
    expect(cards.first).to_be_visible()
    shot(settled(page), "category-desktop")
    assert serious_violations(page) == []

    cards.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/products/[a-z0-9-]+$"))
    expect(page.locator("form.add-to-cart")).to_be_visible()
    expect(page.locator("input[name=quantity]")).to_have_value("1")
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    shot(settled(page), "product-desktop")
    assert serious_violations(page) == []


def test_choosing_a_variant_and_asking_for_a_sold_out_one(local_cloud: LocalCloud, page: Page) -> None:
    page.goto(local_cloud.api_url + SHOP + "/products/shadowweave-gambeson")
    sold_out = page.locator("label.variant", has_text="Out of stock")
    expect(sold_out.locator("input[type=radio]")).to_be_disabled()
    page.locator("label.variant").nth(1).click()
    expect(page.locator("label.variant").nth(1).locator("input")).to_be_checked()
    expect(page.get_by_role("button", name="Add to cart")).to_be_enabled()
    shot(settled(page), "variants-desktop")
    assert serious_violations(page) == []

    page.get_by_role("textbox", name="Email").fill("ann@example.com")
    page.get_by_role("button", name="Notify me").click()
    expect(page.get_by_role("status")).to_contain_text("We will email ann@example.com")


def test_a_product_page_and_the_home_page_on_a_phone(local_cloud: LocalCloud, phone_page: Page) -> None:
    phone_page.goto(local_cloud.api_url + SHOP + "/products/ember-longsword")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Ember Longsword")
    expect(phone_page.get_by_role("button", name="Add to cart")).to_be_visible()
    gallery = phone_page.locator(".gallery-track img").first
    expect(gallery).to_be_visible()
    assert gallery.bounding_box()["width"] <= 360  # type: ignore[index]
    shot(settled(phone_page), "product-phone")
    assert serious_violations(phone_page) == []

    phone_page.goto(local_cloud.api_url + SHOP + "/products/dragonscale-heater-shield")
    expect(phone_page.get_by_role("button", name="Sold out")).to_be_disabled()
    expect(phone_page.get_by_role("heading", name="Email me when it is back")).to_be_visible()
    shot(settled(phone_page), "sold-out-phone")
    assert serious_violations(phone_page) == []

    phone_page.goto(local_cloud.api_url + SHOP + "/")
    expect(phone_page.locator(".product-card").first).to_be_visible()
    shot(settled(phone_page), "home-phone")
    assert serious_violations(phone_page) == []

    phone_page.locator(".category-tiles a").first.click()
    expect(phone_page.locator(".product-card").first).to_be_visible()
    shot(settled(phone_page), "category-phone")
    assert serious_violations(phone_page) == []


def test_search_suggests_titles_while_typing_and_shows_results(local_cloud: LocalCloud, page: Page) -> None:
    # The index fills from the catalog stream shortly after the seed: wait for it before typing.
    eventually(lambda: local_cloud.api(SHOP + "/search/suggest?q=katan").json()["suggestions"], bool, timeout=60)
    page.goto(local_cloud.api_url + SHOP + "/")
    box = page.locator("#site-search")
    box.press_sequentially("katan", delay=60)
    suggestion = page.locator("#site-search-suggestions option[value='Stormcaller Katana']")
    expect(suggestion).to_have_count(1, timeout=30_000)

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=katan$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("katan")
    expect(page.locator(".product-card", has_text="Stormcaller Katana")).to_be_visible()
    shot(settled(page), "search-desktop")
    assert serious_violations(page) == []
