"""A shopper browsing the demo store over real HTTP: profile, categories, pages of products, details, images."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest

from localcloud.demo_images import PNG_SIGNATURE

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e

STORE = "/stores/mystmereforge"


def expected_stock_status(variants: list[dict[str, Any]]) -> str:
    """The documented rule, independently: a variant is out at 0, low up to its threshold (default 3);
    a product is in stock if any variant is, else low if any variant is low, else out of stock."""
    statuses = set()
    for variant in variants:
        on_hand, threshold = variant["stock_on_hand"], variant.get("low_stock_threshold", 3)
        statuses.add("out_of_stock" if on_hand <= 0 else "low_stock" if on_hand <= threshold else "in_stock")
    return next(s for s in ("in_stock", "low_stock", "out_of_stock") if s in statuses)


def walk(cloud: LocalCloud, query: str) -> list[list[dict[str, Any]]]:
    """Every page of a product listing, following next_cursor to the end."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    for _ in range(50):  # a loop guard, far above the demo's size
        suffix = f"&cursor={quote(cursor)}" if cursor else ""
        page = cloud.get_json(f"{STORE}/products?{query}{suffix}")
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("pagination never ended")


def test_store_profile(local_cloud: LocalCloud) -> None:
    store = local_cloud.demo["store"]
    profile = local_cloud.get_json(STORE)
    assert profile["id"] == store["id"]
    assert profile["name"] == store["name"]
    assert (profile["currency"], profile["country"]) == (store["currency"], store["country"])


def test_unknown_store_is_a_404_from_the_function(local_cloud: LocalCloud) -> None:
    response = local_cloud.api("/stores/no-such-store")
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"


def test_categories_in_order_with_counts_kept_by_catalog_stats(local_cloud: LocalCloud) -> None:
    """CatalogStats runs asynchronously after the import (EventBridge rule on CatalogImported)."""
    expected = local_cloud.expected_counts()
    counts = local_cloud.eventually(local_cloud.category_counts, lambda counts: counts == expected)
    assert counts == expected
    assert all(count > 0 for count in counts.values())
    items = local_cloud.get_json(f"{STORE}/categories")["items"]
    by_position = sorted(local_cloud.demo["categories"], key=lambda c: c["position"])
    assert [c["slug"] for c in items] == [c["slug"] for c in by_position]


@pytest.mark.parametrize("limit", [4, 5, 100])
def test_pagination_lists_every_published_product_once_and_never_the_draft(local_cloud: LocalCloud, limit: int) -> None:
    pages = walk(local_cloud, f"limit={limit}")
    slugs = [item["slug"] for page in pages for item in page]
    published = {p["slug"] for p in local_cloud.published_products()}
    drafts = {p["slug"] for p in local_cloud.demo["products"]} - published
    assert drafts, "the demo store should hold a draft product"
    assert len(slugs) == len(set(slugs)), "a product was listed twice"
    assert set(slugs) == published
    assert not drafts & set(slugs)
    assert all(0 < len(page) <= limit for page in pages)
    assert len(pages) == -(-len(published) // limit)  # full pages, then the rest; no empty last page


def test_filter_by_category(local_cloud: LocalCloud) -> None:
    for category in local_cloud.demo["categories"]:
        slug = category["slug"]
        items = [item for page in walk(local_cloud, f"category={slug}&limit=2") for item in page]
        expected = {p["slug"] for p in local_cloud.published_products() if p["category"] == slug}
        assert {item["slug"] for item in items} == expected, slug
        assert len(items) == len(expected)
        assert {item["category"] for item in items} <= {slug}


def test_unknown_category_lists_nothing(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(f"{STORE}/products?category=no-such-category")
    assert response.status == 200
    assert response.json() == {"items": [], "next_cursor": None}


def test_product_detail_with_images_served_by_the_images_cdn(local_cloud: LocalCloud) -> None:
    demo = next(p for p in local_cloud.published_products() if len(p.get("images", [])) > 1)
    product = local_cloud.get_json(f"{STORE}/products/{demo['slug']}")
    assert (product["slug"], product["title"]) == (demo["slug"], demo["title"])
    assert product["price"]["amount"] == demo["price"]["amount"]
    assert [i["alt"] for i in product["images"]] == [i["alt"] for i in demo["images"]]
    assert product["image"] == product["images"][0]
    for image in product["images"]:
        url = urlsplit(image["url"])
        # The images CDN's paths, which the local gateway serves: the API's host, /images/stores/...
        assert image["url"].startswith(f"{local_cloud.api_url}/images/stores/") and not url.query, image["url"]
        download = local_cloud.fetch(image["url"])
        assert download.status == 200, download.body[:300]
        assert download.body.startswith(PNG_SIGNATURE)
        assert image["content_type"] == "image/png"


def test_draft_product_detail_is_not_found(local_cloud: LocalCloud) -> None:
    draft = next(p for p in local_cloud.demo["products"] if p.get("status") == "draft")
    response = local_cloud.api(f"{STORE}/products/{draft['slug']}")
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"


def test_stock_status_of_the_demo_products(local_cloud: LocalCloud) -> None:
    listed = {item["slug"]: item for page in walk(local_cloud, "limit=100") for item in page}
    expected = {p["slug"]: expected_stock_status(p["variants"]) for p in local_cloud.published_products()}
    assert {slug: item["stock"]["status"] for slug, item in listed.items()} == expected
    assert "out_of_stock" in expected.values(), "the demo store should hold an out-of-stock product"
    assert "low_stock" in expected.values(), "the demo store should hold a low-stock product"
    for slug, status in expected.items():
        if status != "in_stock":
            detail = local_cloud.get_json(f"{STORE}/products/{slug}")
            assert detail["stock"]["status"] == status
            demo = next(p for p in local_cloud.published_products() if p["slug"] == slug)
            assert detail["stock"]["available"] == sum(v["stock_on_hand"] for v in demo["variants"])
