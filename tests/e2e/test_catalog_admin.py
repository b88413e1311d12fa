"""An owner manages the catalog over HTTP in the local cloud; the public storefront follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.operators import call, log_in, open_ready_store

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def _published_count(cloud: LocalCloud, store: str, category: str) -> int:
    items: list[dict[str, Any]] = cloud.get_json(f"/stores/{store}/categories")["items"]
    return int(next(c["product_count"] for c in items if c["slug"] == category))


def test_an_owner_publishes_a_product_with_variants_deletes_it_and_restores_it(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "catalog-owner@catalog.test")
    store = open_ready_store(local_cloud, token, "Paper Lanterns")  # books: fiction, non-fiction, children
    admin = f"/admin/stores/{store}"
    body = {
        "title": "The Lantern Keeper",
        "category": "fiction",
        "price": {"amount": 1800, "currency": "EUR"},
        "cost": {"amount": 700, "currency": "EUR"},
        "variants": [
            {"name": "Paperback", "sku": "LK-PB", "options": {"format": "paperback"}, "stock_on_hand": 20},
            {
                "name": "Hardcover",
                "sku": "LK-HC",
                "options": {"format": "hardcover"},
                "stock_on_hand": 5,
                "price": {"amount": 2900, "currency": "EUR"},
            },
        ],
    }

    created = call(local_cloud, "POST", f"{admin}/products", token, body)
    assert created.status == 201, created.body
    slug = created.json()["slug"]
    assert local_cloud.api(f"/stores/{store}/products/{slug}").status == 404  # a draft

    published = call(
        local_cloud, "POST", f"{admin}/products/bulk-status", token, {"products": [slug], "status": "published"}
    )
    assert published.status == 200, published.body

    shown = local_cloud.get_json(f"/stores/{store}/products/{slug}")
    assert shown["title"] == "The Lantern Keeper"
    assert [(v["sku"], v["price"]["amount"]) for v in shown["variants"]] == [("LK-PB", 1800), ("LK-HC", 2900)]
    assert "cost" not in shown
    # CatalogChanged reaches CatalogStats through the bus: the category's count follows.
    assert local_cloud.eventually(lambda: _published_count(local_cloud, store, "fiction"), lambda n: n == 1, 20) == 1

    assert call(local_cloud, "DELETE", f"{admin}/products/{slug}", token).status == 204
    assert local_cloud.api(f"/stores/{store}/products/{slug}").status == 404
    assert local_cloud.get_json(f"/stores/{store}/products")["items"] == []

    restored = call(local_cloud, "POST", f"{admin}/products/{slug}/restore", token)
    assert restored.status == 200, restored.body
    again = local_cloud.get_json(f"/stores/{store}/products/{slug}")
    assert again == shown
