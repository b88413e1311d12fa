"""The storefront's store profile, categories and product listing, on a catalog seeded by the import."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from tests.functional.harness import (
    PUBLISHED,
    PUBLISHED_BY_CATEGORY,
    STORE,
    UNPUBLISHED,
    Cloud,
    HttpResponse,
    http_event,
    load_event,
)

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


# A category lists its subcategories' products too: daggers sits under blades.
IN_SUBTREE = PUBLISHED_BY_CATEGORY | {
    "blades": sorted(PUBLISHED_BY_CATEGORY["blades"] + PUBLISHED_BY_CATEGORY["daggers"])
}


def _products(cloud: Cloud, **query: str) -> HttpResponse:
    return cloud.http("StorefrontCatalog", http_event("storefront_list_products.json", query=query))


def _assert_error(response: HttpResponse, status: int, code: str, field: str | None = None) -> None:
    assert response.status == status, response.body
    assert set(response.body) == {"error"}
    error = response.body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    if field is not None:
        assert error["fields"][0]["field"] == field


def _walk(cloud: Cloud, **query: str) -> list[list[str]]:
    """Every page of a listing, following next_cursor until it is null."""
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        response = _products(cloud, **query, **({"cursor": cursor} if cursor else {}))
        assert response.status == 200, response.body
        pages.append([item["slug"] for item in response.body["items"]])
        cursor = response.body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 10, "the cursors never end"


def _cursor_of(key: Any) -> str:
    """A cursor as the adapter encodes one: base64url JSON without padding."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# ---------------------------------------------------------------- store
def test_get_store_returns_its_public_profile(seeded: Cloud) -> None:
    response = seeded.http("StorefrontCatalog", load_event("storefront_get_store.json"))

    assert response.status == 200
    assert response.body == {
        "id": STORE,
        "name": "Mystmere Forge",
        "description": "Hand-forged replica blades and shields for larp, cosplay and the mantelpiece.",
        "niche": "fantasy arms and armour",
        "currency": "EUR",
        "country": "DE",
    }
    assert response.headers["cache-control"] == "public, max-age=60"


def test_unknown_store_is_a_404_in_the_error_shape(seeded: Cloud) -> None:
    event = http_event("storefront_get_store.json", path_parameters={"store": "nowhere"})

    response = seeded.http("StorefrontCatalog", event)

    _assert_error(response, 404, "not_found", "store")
    assert response.body["error"]["request_id"] == event["requestContext"]["requestId"]
    assert "cache-control" not in response.headers


def test_malformed_store_id_is_a_400(seeded: Cloud) -> None:
    response = seeded.http(
        "StorefrontCatalog", http_event("storefront_get_store.json", path_parameters={"store": "No_Way"})
    )

    _assert_error(response, 400, "validation_error", "store")


# ---------------------------------------------------------------- categories
def test_categories_are_sorted_by_position_with_their_product_count(seeded: Cloud) -> None:
    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))

    response = seeded.http("StorefrontCatalog", load_event("storefront_list_categories.json"))

    assert response.status == 200
    items = response.body["items"]
    assert [c["slug"] for c in items] == ["blades", "shields", "daggers", "accessories"]
    assert [c["position"] for c in items] == [1, 2, 3, 4]
    assert {c["slug"]: c["product_count"] for c in items} == {s: len(p) for s, p in PUBLISHED_BY_CATEGORY.items()}
    assert {c["slug"]: c["parent"] for c in items} == {
        "blades": None,
        "shields": None,
        "daggers": "blades",
        "accessories": None,
    }
    assert items[0]["name"] == "Blades"
    assert items[0]["description"] == "Swords, sabres and rapiers."


def test_categories_of_an_unknown_store_is_a_404(seeded: Cloud) -> None:
    event = http_event("storefront_list_categories.json", path_parameters={"store": "nowhere"})

    _assert_error(seeded.http("StorefrontCatalog", event), 404, "not_found", "store")


# ---------------------------------------------------------------- products
def test_list_products_shows_every_published_product_and_no_other(seeded: Cloud) -> None:
    response = _products(seeded)

    assert response.status == 200
    assert [i["slug"] for i in response.body["items"]] == PUBLISHED
    assert response.body["next_cursor"] is None
    ember = response.body["items"][0]
    assert ember["price"] == {"amount": 12900, "currency": "EUR", "display": "129.00"}
    assert ember["compare_at_price"] == {"amount": 14900, "currency": "EUR", "display": "149.00"}
    assert ember["stock"] == {"available": 14, "status": "in_stock"}
    assert ember["image"]["content_type"] == "image/png"
    assert re.search(
        "/stores/mystmereforge/products/ember-longsword/00-[0-9a-f]{16}-ember-longsword[.]png$", ember["image"]["url"]
    )
    rapier = next(i for i in response.body["items"] if i["slug"] == "moonlit-rapier")
    assert rapier["image"] is None


@pytest.mark.parametrize("category", sorted(PUBLISHED_BY_CATEGORY))
def test_list_products_of_a_category(seeded: Cloud, category: str) -> None:
    response = _products(seeded, category=category)

    assert response.status == 200
    assert [i["slug"] for i in response.body["items"]] == IN_SUBTREE[category]
    assert {i["category"] for i in response.body["items"]} <= {category, *(["daggers"] if category == "blades" else [])}


def test_event_file_lists_the_first_page_of_blades(seeded: Cloud) -> None:
    response = seeded.http("StorefrontCatalog", load_event("storefront_list_products.json"))

    assert response.status == 200
    assert [i["slug"] for i in response.body["items"]] == PUBLISHED_BY_CATEGORY["blades"][:2]
    assert response.body["next_cursor"]


@pytest.mark.parametrize("category", [None, "blades", "shields", "accessories"])
def test_pages_of_two_show_each_published_product_exactly_once(seeded: Cloud, category: str | None) -> None:
    pages = _walk(seeded, limit="2", **({"category": category} if category else {}))

    seen = [slug for page in pages for slug in page]
    expected = IN_SUBTREE[category] if category else PUBLISHED
    assert seen == expected
    assert all(1 <= len(page) <= 2 for page in pages if expected)
    assert not set(seen) & set(UNPUBLISHED)


@pytest.mark.parametrize("limit", ["1", "4", "5", "100"])
def test_any_page_size_walks_the_whole_listing(seeded: Cloud, limit: str) -> None:
    pages = _walk(seeded, limit=limit)

    assert [slug for page in pages for slug in page] == PUBLISHED
    assert all(len(page) <= int(limit) for page in pages)


def test_unknown_category_lists_nothing(seeded: Cloud) -> None:
    """A category filter is a filter of the store's listing (subtrees need it): no category, no products."""
    response = _products(seeded, category="polearms")

    assert response.status == 200
    assert response.body == {"items": [], "next_cursor": None}


def test_products_of_an_unknown_store_is_a_404(seeded: Cloud) -> None:
    event = http_event("storefront_list_products.json", path_parameters={"store": "nowhere"}, query={})

    _assert_error(seeded.http("StorefrontCatalog", event), 404, "not_found", "store")


_ALL = {
    "pk": {"S": STORE},
    "sk": {"S": "PRODUCT#frost-sabre"},
    "gsi1pk": {"S": f"{STORE}#PRODUCTS"},
    "gsi1sk": {"S": "frost-sabre"},
}


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _cursor_of(["a", "list"]),
        _cursor_of(_ALL | {"gsi1pk": {"S": "nowhere#PRODUCTS"}}),
        _cursor_of(_ALL | {"gsi1sk": {"N": "1"}}),
        _cursor_of({"gsi1pk": {"S": f"{STORE}#PRODUCTS"}}),  # DynamoDB would refuse it: not a 500, a 400
        _cursor_of(_ALL | {"price": {"S": "0"}}),
    ],
    ids=["garbage", "not-base64", "not-an-object", "other-store", "wrong-type", "partial-key", "extra-attribute"],
)
def test_bad_cursor_is_a_400_naming_the_cursor(seeded: Cloud, cursor: str) -> None:
    _assert_error(_products(seeded, cursor=cursor), 400, "invalid_input", "cursor")


def test_a_cursor_only_works_for_the_sort_it_came_from(seeded: Cloud) -> None:
    by_title = _products(seeded, limit="1").body["next_cursor"]
    by_price = _products(seeded, limit="1", sort="price_asc").body["next_cursor"]

    _assert_error(_products(seeded, sort="price_asc", cursor=by_title), 400, "invalid_input", "cursor")
    _assert_error(_products(seeded, sort="newest", cursor=by_price), 400, "invalid_input", "cursor")
    _assert_error(_products(seeded, cursor=by_price), 400, "invalid_input", "cursor")


@pytest.mark.parametrize("limit", ["0", "1000", "-1", "two"])
def test_limit_out_of_range_is_a_validation_error(seeded: Cloud, limit: str) -> None:
    _assert_error(_products(seeded, limit=limit), 400, "validation_error", "limit")
