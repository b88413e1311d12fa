"""The shop pages' frame: a store's home page, its theme and security headers, 404 pages, static files."""

from __future__ import annotations

import re

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.page_helpers import Browser

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_the_home_page_shows_the_store_and_its_newest_products(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/")

    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Mystmere Forge</h1>" in page.html
    assert "Ember Longsword" in page.html
    assert f'href="/shop/{STORE}/products/ember-longsword"' in page.html
    assert "€129.00" in page.html


def test_every_page_carries_a_strict_content_security_policy(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/")

    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and f'<style nonce="{nonce.group(1)}">' in page.html
    assert page.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_store_is_a_404_page(seeded: Cloud) -> None:
    page = Browser(seeded).get("/shop/no-such-shop/")

    assert page.status == 404
    assert "No shop here" in page.html
    assert '<meta name="robots" content="noindex">' in page.html


def test_an_unknown_page_of_a_store_is_a_404_page_inside_the_shop(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/no/such/page")

    assert page.status == 404
    assert "Page not found" in page.html
    assert f'href="/shop/{STORE}/cart"' in page.html


def test_static_files_are_content_hashed_and_cached_forever(seeded: Cloud) -> None:
    browser = Browser(seeded)
    home = browser.get(f"/shop/{STORE}/")
    css = re.search(r'href="(/shop-assets/shop\.[0-9a-f]{10}\.css)"', home.html)
    assert css, "the stylesheet is linked by its hashed name"

    asset = browser.get(css.group(1))
    assert asset.status == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "--brand" in asset.html
    assert browser.get("/shop-assets/shop.0000000000.css").status == 404
