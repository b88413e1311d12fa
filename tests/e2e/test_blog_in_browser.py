"""A published blog post in Chromium on a desktop and a phone: its title, its Markdown as HTML, its Article JSON-LD,
screenshotted and checked with axe-core (no serious or critical violations)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call, log_in, open_ready_store

pytestmark = pytest.mark.e2e
BODY = """Warm light makes a reading corner. This guide covers what to look for in a **desk lamp**.

## Brightness and colour

Pick a warm white bulb for evenings and a brighter one for work. A dimmer lets one lamp do both, and a shade
that hides the bulb keeps the glare off the page.

## Materials

- Brass ages well and can be polished
- Glass spreads the light softly
- Oak bases are heavy and stable

> Keep the cable tidy: a lamp is only as safe as its cord.
"""


@pytest.fixture(scope="module")
def shop(local_cloud: LocalCloud) -> tuple[str, str]:
    """The blog's store and its owner's access token."""
    owner = log_in(local_cloud, "", "blog-owner@browser.test")
    return open_ready_store(local_cloud, owner, "Blog Lamps"), owner


@pytest.fixture(scope="module")
def post_path(local_cloud: LocalCloud, shop: tuple[str, str]) -> str:
    store, owner = shop
    post = {"title": "How to choose a desk lamp", "slug": "choose-a-desk-lamp", "body_markdown": BODY}
    created = call(local_cloud, "POST", f"/admin/stores/{store}/blog/posts", owner, post | {"status": "published"})
    assert created.status == 201, created.body
    return f"/shop/{store}/blog/choose-a-desk-lamp"


def _opened(tab: Page, url: str) -> None:
    response = tab.goto(url)
    assert response is not None and response.status == 200, response and (response.status, response.text()[:2000])


def _checked(tab: Page, name: str) -> None:
    expect(tab.get_by_role("heading", level=1)).to_have_text("How to choose a desk lamp")
    expect(tab.get_by_role("heading", level=2, name="Materials")).to_be_visible()
    blobs = [json.loads(t) for t in tab.locator('script[type="application/ld+json"]').all_text_contents()]
    assert any(b["@type"] == "Article" and b["headline"] == "How to choose a desk lamp" for b in blobs)
    shot(tab, name)
    assert serious_violations(tab) == []


def test_a_blog_post_on_a_desktop(local_cloud: LocalCloud, post_path: str, page: Page) -> None:
    _opened(page, local_cloud.api_url + post_path)
    _checked(page, "blog-post-desktop")


def test_a_blog_post_on_a_phone(local_cloud: LocalCloud, post_path: str, phone_page: Page) -> None:
    _opened(phone_page, local_cloud.api_url + post_path)
    _checked(phone_page, "blog-post-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone's screen


def test_a_cover_that_does_not_load_is_hidden_not_drawn_broken(
    local_cloud: LocalCloud, shop: tuple[str, str], post_path: str, page: Page
) -> None:
    store, owner = shop
    post = {
        "title": "Lamps we no longer sell",
        "slug": "lamps-we-no-longer-sell",
        "body_markdown": "Their photos were removed with them.",
        "cover_image": f"stores/{store}/blog/removed-photo.png",
        "status": "published",
    }
    created = call(local_cloud, "POST", f"/admin/stores/{store}/blog/posts", owner, post)
    assert created.status == 201, created.body

    _opened(page, f"{local_cloud.api_url}/shop/{store}/blog/lamps-we-no-longer-sell")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lamps we no longer sell")
    expect(page.locator("img.post-cover")).to_be_hidden()
    page.goto(f"{local_cloud.api_url}/shop/{store}/blog")
    expect(page.get_by_role("link", name="Lamps we no longer sell")).to_be_visible()
    expect(page.locator("img[data-hide-broken]").first).to_be_hidden()
    shot(page, "blog-list-without-a-broken-cover")
