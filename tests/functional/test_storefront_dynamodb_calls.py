"""Every storefront read is exactly one DynamoDB call, and never a Scan - found or not found.

Product detail is one BatchGetItem (the product and its store's catalog root, which says whether the store
was deleted); every other read is one GetItem or Query.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import Cloud, http_event
from tests.functional.search_helpers import storefront_event

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

NOWHERE = {"store": "nowhere"}
# id: (events file, path parameters, query, expected status)
READS: dict[str, tuple[str, dict[str, str] | None, dict[str, str] | None, int]] = {
    "store": ("storefront_get_store.json", None, None, 200),
    "store-unknown": ("storefront_get_store.json", NOWHERE, None, 404),
    "categories": ("storefront_list_categories.json", None, None, 200),
    "categories-unknown-store": ("storefront_list_categories.json", NOWHERE, None, 404),
    "products-all": ("storefront_list_products.json", None, {}, 200),
    "products-page-of-a-category": ("storefront_list_products.json", None, None, 200),
    "products-empty-category": ("storefront_list_products.json", None, {"category": "accessories"}, 200),
    "products-unknown-category": ("storefront_list_products.json", None, {"category": "polearms"}, 200),
    "products-unknown-store": ("storefront_list_products.json", NOWHERE, {}, 404),
    "product": ("storefront_get_product.json", None, None, 200),
    "product-draft": ("storefront_get_product.json", {"product": "tower-shield"}, None, 404),
    "product-unknown": ("storefront_get_product.json", {"product": "no-such-blade"}, None, 404),
    "product-unknown-store": ("storefront_get_product.json", NOWHERE, None, 404),
}


def _assert_one_read(calls: list[str]) -> None:
    assert len(calls) == 1, calls
    assert calls[0] in {"GetItem", "Query", "BatchGetItem"}
    assert "Scan" not in calls


@pytest.mark.parametrize("read", list(READS))
def test_each_storefront_read_is_one_dynamodb_call(seeded: Cloud, dynamodb_calls: list[str], read: str) -> None:
    name, path_parameters, query, status = READS[read]
    event: dict[str, Any] = http_event(name, path_parameters=path_parameters, query=query)

    response = seeded.http("StorefrontCatalog", event)

    assert response.status == status, response.body
    _assert_one_read(dynamodb_calls)


# path, query, expected status: the routes whose events are built from their template path
ROUTES: dict[str, tuple[str, dict[str, str], int]] = {
    "search": ("/stores/{store}/search", {"q": "longswrod embe MF-EMBER"}, 200),
    "search-unknown-store": ("/stores/nowhere/search", {"q": "sword"}, 404),
    "related": ("/stores/{store}/products/ember-longsword/related", {"category": "blades", "tags": "steel"}, 200),
    "related-unknown-category": ("/stores/{store}/products/ember-longsword/related", {"category": "polearms"}, 404),
    "sitemap": ("/stores/{store}/sitemap.xml", {}, 200),
    "sitemap-unknown-store": ("/stores/nowhere/sitemap.xml", {}, 404),
    "robots": ("/stores/{store}/robots.txt", {}, 200),
    "robots-unknown-store": ("/stores/nowhere/robots.txt", {}, 404),
    "brands": ("/stores/{store}/brands", {}, 200),
    "brands-unknown-store": ("/stores/nowhere/brands", {}, 404),
    "products-every-filter": (
        "/stores/{store}/products",
        {"category": "blades", "brand": "orchid", "price_min": "1", "price_max": "99999", "in_stock": "true"},
        200,
    ),
    "products-price-sorted": ("/stores/{store}/products", {"sort": "price_desc", "price_min": "5000"}, 200),
    "products-newest": ("/stores/{store}/products", {"sort": "newest", "limit": "2"}, 200),
}


@pytest.mark.parametrize("read", list(ROUTES))
def test_each_new_storefront_read_is_one_dynamodb_call(seeded: Cloud, dynamodb_calls: list[str], read: str) -> None:
    path, query, status = ROUTES[read]

    response = seeded.invoke("StorefrontCatalog", storefront_event(path, query))

    assert response["statusCode"] == status, response["body"]
    _assert_one_read(dynamodb_calls)


def test_every_next_page_is_one_dynamodb_call(seeded: Cloud, dynamodb_calls: list[str]) -> None:
    cursor: str | None = None
    pages = 0
    while True:
        dynamodb_calls.clear()
        query = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        response = seeded.http("StorefrontCatalog", http_event("storefront_list_products.json", query=query))
        assert response.status == 200
        _assert_one_read(dynamodb_calls)
        pages += 1
        cursor = response.body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3


def test_a_bad_cursor_costs_no_dynamodb_call(seeded: Cloud, dynamodb_calls: list[str]) -> None:
    event = http_event("storefront_list_products.json", query={"cursor": "not-a-cursor"})

    assert seeded.http("StorefrontCatalog", event).status == 400
    assert dynamodb_calls == []


def test_the_counter_sees_the_handlers_calls(seeded: Cloud, dynamodb_calls: list[str]) -> None:
    """The hook is on the client the handlers use: a recount (several calls) shows up in full."""
    seeded.invoke(
        "CatalogStats",
        {
            "detail-type": "CatalogImported",
            "source": "nozzly.catalog",
            "detail": {"store_id": "mystmereforge", "products": []},
        },
    )

    assert dynamodb_calls[0] == "Query"
    assert len(dynamodb_calls) > 1
