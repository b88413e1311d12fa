"""Storefront search, kept up to date from the catalog stream, and the SEO routes: over the seeded catalog.

Products are written the way every writer writes them (CatalogRepository.put_product, through the codec); the
stream reaches SearchIndexer through the template's event source mapping (tests/functional/search_helpers.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from localcloud.template import LOCAL_PARAMETERS
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product, ProductStatus, Variant
from nozzly.catalog.domain.seo import SITEMAP_NS
from nozzly.kernel.domain.money import Money
from tests.functional.harness import PUBLISHED, STORE, Cloud, HttpResponse, http_event
from tests.functional.search_helpers import indexer, storefront_event

IMAGES_URL = dict(LOCAL_PARAMETERS)["ImagesUrl"]  # the CDN (the local gateway) that serves kept images
pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def _product(slug: str, title: str, **fields: Any) -> Product:
    defaults: dict[str, Any] = {
        "store_id": STORE,
        "slug": slug,
        "title": title,
        "price": Money(5000, "EUR"),
        "category": "blades",
        "variants": (Variant("default", f"SKU-{slug.upper()}", "Default", 5),),
    }
    return Product(**(defaults | fields))


def _route(cloud: Cloud, path: str, query: dict[str, str] | None = None) -> HttpResponse:
    return cloud.http("StorefrontCatalog", storefront_event(path, query))


def _text(cloud: Cloud, path: str) -> tuple[int, dict[str, str], str]:
    response = cloud.invoke("StorefrontCatalog", storefront_event(path))
    return response["statusCode"], response["headers"], response["body"]


def _search(cloud: Cloud, q: str, **query: str) -> HttpResponse:
    return _route(cloud, "/stores/{store}/search", {"q": q, **query})


def _slugs(response: HttpResponse) -> list[str]:
    assert response.status == 200, response.body
    return [item["slug"] for item in response.body["items"]]


@pytest.fixture
def catalog(seeded: Cloud) -> CatalogRepository:
    seeded.apply_environment(seeded.environments["StorefrontCatalog"])
    return CatalogRepository(seeded.catalog_table)


@pytest.fixture
def sync(seeded: Cloud) -> Callable[[], int]:
    deliver = indexer(seeded)
    deliver()  # the seed's writes
    return deliver


# ---------------------------------------------------------------- search
def test_search_finds_a_product_by_a_title_word(seeded: Cloud, sync: Callable[[], int]) -> None:
    response = _search(seeded, "longsword")

    assert _slugs(response)[0] == "ember-longsword"
    hit = response.body["items"][0]
    assert hit["title"] == "Ember Longsword"
    assert hit["price"] == {"amount": 12900, "currency": "EUR", "display": "129.00"}
    assert hit["stock_status"] == "in_stock"
    assert hit["image"]["url"].startswith(IMAGES_URL + "/stores/mystmereforge/products/ember-longsword/")
    assert response.body["tokens"] == ["longsword"]


def test_search_matches_word_beginnings(seeded: Cloud, sync: Callable[[], int]) -> None:
    assert "ember-longsword" in _slugs(_search(seeded, "embe"))
    assert _slugs(_search(seeded, "longs"))[0] == "ember-longsword"


@pytest.mark.parametrize("typo", ["longswrod", "lonsword", "longsworrd", "lpngsword"])
def test_search_forgives_one_typo(seeded: Cloud, sync: Callable[[], int], typo: str) -> None:
    assert _slugs(_search(seeded, typo))[0] == "ember-longsword"


def test_search_by_sku_with_or_without_separators(seeded: Cloud, sync: Callable[[], int]) -> None:
    assert _slugs(_search(seeded, "MF-EMBER-GLD"))[0] == "ember-longsword"
    assert _slugs(_search(seeded, "mfembergld"))[0] == "ember-longsword"


def test_search_by_tag_and_brand(seeded: Cloud, catalog: CatalogRepository, sync: Callable[[], int]) -> None:
    catalog.put_product(_product("dwarven-axe", "Dwarven Axe", brand="iron-hall", tags=("throwing",)))
    sync()

    assert _slugs(_search(seeded, "iron hall")) == ["dwarven-axe"]
    assert _slugs(_search(seeded, "throwing")) == ["dwarven-axe"]


def test_title_matches_rank_above_description_matches(
    seeded: Cloud, catalog: CatalogRepository, sync: Callable[[], int]
) -> None:
    catalog.put_product(_product("plain-knife", "Plain Knife", description="Sharper than any falchion."))
    catalog.put_product(_product("falchion", "Falchion"))
    sync()

    assert _slugs(_search(seeded, "falchion")) == ["falchion", "plain-knife"]


def test_products_matching_every_word_come_first(
    seeded: Cloud, catalog: CatalogRepository, sync: Callable[[], int]
) -> None:
    catalog.put_product(_product("frost-axe", "Frost Axe"))
    sync()

    assert _slugs(_search(seeded, "frost sabre"))[0] == "frost-sabre"
    assert set(_slugs(_search(seeded, "frost sabre"))) >= {"frost-sabre", "frost-axe"}


def test_unpublished_products_are_never_found(seeded: Cloud, sync: Callable[[], int]) -> None:
    assert _slugs(_search(seeded, "tower shield")) == ["oaken-buckler"]  # the draft tower-shield is not there
    assert "rusted-cutlass" not in _slugs(_search(seeded, "cutlass"))


def test_the_index_follows_every_product_write(
    seeded: Cloud, catalog: CatalogRepository, sync: Callable[[], int]
) -> None:
    ember = catalog.get_product(STORE, "ember-longsword")

    catalog.put_product(dataclasses.replace(ember, title="Ember Claymore", tags=("claymore",)))
    sync()
    assert _slugs(_search(seeded, "claymore")) == ["ember-longsword"]
    assert _slugs(_search(seeded, "longsword")) == []  # neither title nor tags say it any more
    assert _search(seeded, "claymore").body["items"][0]["title"] == "Ember Claymore"

    catalog.put_product(dataclasses.replace(ember, status=ProductStatus.ARCHIVED))
    sync()
    assert _slugs(_search(seeded, "ember")) == []


def test_search_of_a_deleted_or_unknown_store_is_a_404(seeded: Cloud, sync: Callable[[], int]) -> None:
    seeded.client("dynamodb").update_item(
        TableName=seeded.catalog_table,
        Key={"pk": {"S": STORE}, "sk": {"S": "CATEGORY#"}},
        UpdateExpression="SET deleted = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )

    response = _search(seeded, "longsword")

    assert response.status == 404
    assert response.body["error"]["fields"][0]["field"] == "store"


@pytest.mark.parametrize(
    ("query", "field"),
    [({"q": ""}, "q"), ({"q": "!!"}, "q"), ({"q": "x" * 201}, "q"), ({"q": "sword", "limit": "0"}, "limit")],
)
def test_bad_search_input_is_a_400_naming_the_field(
    seeded: Cloud, sync: Callable[[], int], query: dict[str, str], field: str
) -> None:
    response = _route(seeded, "/stores/{store}/search", query)

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == field


def test_a_failed_index_write_reports_only_the_records_behind_it(
    seeded: Cloud, catalog: CatalogRepository, sync: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nozzly.search.adapters import search_index

    original = search_index.SearchIndex.apply

    def failing(self: search_index.SearchIndex, store_id: str, key: str, update: search_index.KeyUpdate) -> bool:
        return False if key == "T:halberd" else original(self, store_id, key, update)

    monkeypatch.setattr(search_index.SearchIndex, "apply", failing)
    catalog.put_product(_product("glaive", "Glaive"))
    catalog.put_product(_product("halberd", "Halberd"))
    poller_records: list[dict[str, Any]] = []

    from tests.functional.search_helpers import stream_poller

    poller = stream_poller(seeded)
    poller._read()
    poller_records = [r for r in poller.pending if r["dynamodb"]["NewImage"]["slug"]["S"] in ("glaive", "halberd")]
    result = seeded.invoke("SearchIndexer", {"Records": poller_records})

    halberd = next(r for r in poller_records if r["dynamodb"]["NewImage"]["slug"]["S"] == "halberd")
    assert result == {"batchItemFailures": [{"itemIdentifier": halberd["dynamodb"]["SequenceNumber"]}]}
    assert _slugs(_search(seeded, "glaive")) == ["glaive"]


# ---------------------------------------------------------------- listing: sorts and filters
@pytest.fixture
def shelf(seeded: Cloud, catalog: CatalogRepository) -> Cloud:
    """Three more products with brands, ages, prices and a nested category (daggers sits under blades)."""
    catalog.put_product(
        _product(
            "kris",
            "Kris",
            category="daggers",
            category_path=("blades", "daggers"),
            brand="orchid",
            price=Money(2500, "EUR"),
            created_at=300,
        )
    )
    catalog.put_product(
        _product(
            "zweihander",
            "Zweihander",
            brand="orchid",
            price=Money(40000, "EUR"),
            created_at=200,
            variants=(Variant("default", "SKU-ZW", "Default", 0),),
        )
    )
    catalog.put_product(_product("arming-sword", "Arming Sword", price=Money(9000, "EUR"), created_at=100))
    return seeded


def _listing(cloud: Cloud, **query: str) -> list[str]:
    response = cloud.http("StorefrontCatalog", http_event("storefront_list_products.json", query=query))
    return _slugs(response)


def _walk(cloud: Cloud, **query: str) -> list[str]:
    slugs: list[str] = []
    cursor: str | None = None
    for _ in range(20):
        event = http_event("storefront_list_products.json", query=query | ({"cursor": cursor} if cursor else {}))
        response = cloud.http("StorefrontCatalog", event)
        slugs += _slugs(response)
        cursor = response.body["next_cursor"]
        if cursor is None:
            return slugs
    raise AssertionError("the cursors never end")


def test_sorts(shelf: Cloud) -> None:
    by_price = _walk(shelf, sort="price_asc", limit="2")
    prices = [_price(shelf, slug) for slug in by_price]

    assert prices == sorted(prices)
    assert _walk(shelf, sort="price_desc", limit="3") == list(reversed(by_price))
    assert _walk(shelf, sort="newest")[:3] == ["kris", "zweihander", "arming-sword"]
    titles = _walk(shelf, sort="title", limit="4")
    assert titles[:2] == ["arming-sword", "ember-longsword"]


def _price(cloud: Cloud, slug: str) -> int:
    event = http_event("storefront_get_product.json", path_parameters={"product": slug})
    amount: int = cloud.http("StorefrontCatalog", event).body["price"]["amount"]
    return amount


def test_filters(shelf: Cloud) -> None:
    assert _walk(shelf, brand="orchid") == ["kris", "zweihander"]
    assert _walk(shelf, category="daggers") == ["kris", "shadow-dagger"]
    assert "kris" in _walk(shelf, category="blades")  # the subtree: kris is a dagger, daggers sit under blades
    assert "zweihander" not in _walk(shelf, in_stock="true")
    assert _walk(shelf, price_min="2500", price_max="5000", sort="price_asc") == ["kris", "shadow-dagger"]
    assert _walk(shelf, price_min="40000", sort="price_desc") == ["zweihander"]
    assert _walk(shelf, brand="orchid", in_stock="true", category="blades") == ["kris"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sort": "cheapest"}, "sort"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_min": "10", "price_max": "5"}, "price_max"),
        ({"in_stock": "perhaps"}, "in_stock"),
        ({"brand": "Not A Slug"}, "brand"),
        ({"category": "Blades!"}, "category"),
    ],
)
def test_bad_listing_input_is_a_400_naming_the_field(seeded: Cloud, query: dict[str, str], field: str) -> None:
    response = seeded.http("StorefrontCatalog", http_event("storefront_list_products.json", query=query))

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == field


# ---------------------------------------------------------------- detail, related, SEO
def test_product_detail_carries_json_ld_without_the_cost(seeded: Cloud, catalog: CatalogRepository) -> None:
    catalog.put_product(_product("kris", "Kris", brand="orchid", cost=Money(900, "EUR")))

    response = seeded.http(
        "StorefrontCatalog", http_event("storefront_get_product.json", path_parameters={"product": "kris"})
    )

    ld = response.body["json_ld"]
    assert ld["@type"] == "Product"
    assert ld["url"] == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/stores/mystmereforge/products/kris"
    assert ld["brand"] == {"@type": "Brand", "name": "orchid"}
    assert ld["offers"] == [
        {
            "@type": "Offer",
            "sku": "SKU-KRIS",
            "name": "Default",
            "price": "50.00",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
            "itemCondition": "https://schema.org/NewCondition",
            "url": ld["url"],
        }
    ]
    assert "900" not in json.dumps(response.body) and "cost" not in response.body


def test_related_products_share_the_category_most_tags_first(seeded: Cloud, catalog: CatalogRepository) -> None:
    catalog.put_product(_product("kris", "Kris", tags=("larp-safe", "steel")))
    detail = seeded.http("StorefrontCatalog", http_event("storefront_get_product.json")).body
    path, _, query = detail["related_url"].partition("?")
    params = dict(p.split("=", 1) for p in query.split("&"))

    response = _route(seeded, path, {k: unquote(v) for k, v in params.items()})

    related = _slugs(response)
    assert related[0] == "kris"
    assert "ember-longsword" not in related
    assert set(related) <= {"kris", "frost-sabre", "moonlit-rapier", "arming-sword"}


def test_related_products_need_the_category(seeded: Cloud) -> None:
    response = _route(seeded, "/stores/{store}/products/ember-longsword/related", {})

    assert response.status == 400
    assert response.body["error"]["fields"][0]["field"] == "category"


def test_sitemap_lists_published_products_only(seeded: Cloud) -> None:
    status, headers, body = _text(seeded, "/stores/{store}/sitemap.xml")

    assert status == 200
    assert headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(body)
    locs = [e.text or "" for e in root.iter(f"{{{SITEMAP_NS}}}loc")]
    base = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/stores/mystmereforge"
    assert locs == [base] + [f"{base}/products/{slug}" for slug in sorted(PUBLISHED)]


def test_sitemap_and_robots_of_an_unknown_store_are_404(seeded: Cloud) -> None:
    for path in ("/stores/nowhere/sitemap.xml", "/stores/nowhere/robots.txt"):
        status, _, body = _text(seeded, path)
        assert status == 404
        assert json.loads(body)["error"]["fields"][0]["field"] == "store"


def test_robots_points_at_the_sitemap(seeded: Cloud) -> None:
    status, headers, body = _text(seeded, "/stores/{store}/robots.txt")

    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert "Disallow: /stores/mystmereforge/search\n" in body
    assert body.endswith(
        "Sitemap: https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/stores/mystmereforge/sitemap.xml\n"
    )
