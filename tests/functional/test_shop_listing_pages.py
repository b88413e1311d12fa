"""Listing, search and crawler pages of ShopPages under moto: a category with filters, sorting and cursor pages,
all products, search results and suggestions, the pages' sitemap and robots rules."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.page_helpers import Browser, Page
from tests.functional.search_helpers import indexer
from tests.functional.test_shop_catalog_pages import json_ld, of_type, text_of

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BLADES = f"/shop/{STORE}/categories/blades"


def product_links(page: Page) -> list[str]:
    grid = page.html.split('class="grid product-grid"')[1].split("</ul>")[0] if "product-grid" in page.html else ""
    return re.findall(rf'href="/shop/{STORE}/products/([a-z0-9-]+)"', grid)


def link(page: Page, rel_text: str) -> str:
    found = re.search(rf'<a class="button[^"]*" href="([^"]+)"[^>]*>{rel_text}</a>', page.html)
    assert found, f"no {rel_text!r} link"
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def searchable(seeded: Cloud) -> Callable[[], int]:
    deliver = indexer(seeded)
    deliver()
    return deliver


def test_a_category_lists_its_own_and_its_subcategories_products_with_chips_and_breadcrumbs(seeded: Cloud) -> None:
    page = Browser(seeded).get(BLADES)

    assert page.status == 200
    assert "<h1>Blades</h1>" in page.html and "Swords, sabres and rapiers." in page.html
    assert product_links(page) == ["ember-longsword", "frost-sabre", "moonlit-rapier", "shadow-dagger"]
    assert f'<a href="/shop/{STORE}/categories/daggers">Daggers</a>' in page.html  # the subcategory chip
    assert "Out of stock" in text_of(page)  # the moonlit rapier
    trail = of_type(page, "BreadcrumbList")["itemListElement"]
    assert [i["name"] for i in trail] == ["Home", "Blades"]
    assert re.search(rf'<link rel="canonical" href="https?://[^"]+/shop/{STORE}/categories/blades">', page.html)
    assert '<meta name="robots" content="noindex">' not in page.html


def test_a_subcategory_page_shows_its_trail_from_the_top(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/categories/daggers")

    assert product_links(page) == ["shadow-dagger"]
    assert [i["name"] for i in of_type(page, "BreadcrumbList")["itemListElement"]] == ["Home", "Blades", "Daggers"]


def test_filters_take_prices_in_major_units_and_sorts_order_the_listing(seeded: Cloud) -> None:
    browser = Browser(seeded)

    priced = browser.get(BLADES, query="price_min=50&price_max=99.00&sort=price_desc")
    in_stock = browser.get(BLADES, query="in_stock=1&sort=price_asc")

    assert priced.status == 200
    assert product_links(priced) == ["moonlit-rapier", "frost-sabre"]  # 99.00, then 89.00
    assert 'name="price_min" inputmode="decimal" value="50"' in priced.html
    assert '<option value="price_desc" selected>' in priced.html
    assert '<meta name="robots" content="noindex">' in priced.html  # a filtered listing is not indexed
    assert re.search(rf'<link rel="canonical" href="https?://[^"]+/shop/{STORE}/categories/blades">', priced.html)
    assert product_links(in_stock) == ["shadow-dagger", "frost-sabre", "ember-longsword"]


@pytest.mark.parametrize(
    "query",
    ["price_min=abc", "price_min=-1", "price_min=1.999", "price_min=20&price_max=10", "sort=cheapest", "brand=acme",
     "price_max=1e400", "cursor=not-a-cursor"],
)  # fmt: skip
def test_bad_filter_values_are_a_400_page(seeded: Cloud, query: str) -> None:
    page = Browser(seeded).get(BLADES, query=query)

    assert page.status == 400, query
    assert "That did not look right" in page.html


def test_the_brand_filter_offers_the_stores_live_brands_and_lists_their_products(seeded: Cloud) -> None:
    from nozzly.catalog.adapters.brands import BrandsRepository
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.domain.brands import Brand

    brands = BrandsRepository(seeded.catalog_table, seeded.client("dynamodb"))
    for brand in (Brand(STORE, "emberworks", "Emberworks"), Brand(STORE, "gone", "Gone Co", deleted=True)):
        seeded.client("dynamodb").transact_write_items(TransactItems=[brands.put_op(brand, None)])
    catalog = CatalogRepository(seeded.catalog_table, seeded.client("dynamodb"))
    catalog.put_product(dataclasses.replace(catalog.get_product(STORE, "frost-sabre"), brand="emberworks"))
    browser = Browser(seeded)

    page = browser.get(BLADES, query="brand=emberworks")

    assert product_links(page) == ["frost-sabre"]
    assert '<option value="emberworks" selected>Emberworks</option>' in page.html
    assert "Gone Co" not in page.html
    assert browser.get(BLADES, query="brand=gone").status == 400


def test_next_page_follows_the_cursor_and_keeps_the_filters(seeded: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from nozzly.shopfront.web import listing_pages

    monkeypatch.setattr(listing_pages, "PAGE_SIZE", 2)
    browser = Browser(seeded)
    first = browser.get(BLADES, query="sort=price_asc")
    assert product_links(first) == ["shadow-dagger", "frost-sabre"]
    assert "Back to first page" not in first.html

    following = urlsplit(link(first, "Next page"))
    assert following.path == BLADES
    assert parse_qs(following.query)["sort"] == ["price_asc"] and "cursor" in parse_qs(following.query)
    second = browser.get(following.path, query=following.query)

    assert product_links(second) == ["moonlit-rapier", "ember-longsword"]
    assert link(second, "Back to first page") == f"{BLADES}?sort=price_asc"
    assert '<meta name="robots" content="noindex">' in second.html


def test_an_unknown_category_is_a_404_page(seeded: Cloud) -> None:
    assert Browser(seeded).get(f"/shop/{STORE}/categories/no-such-thing").status == 404


def test_all_products_lists_every_published_product(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/products", query="sort=newest")

    assert page.status == 200
    assert "<h1>All products</h1>" in page.html
    assert sorted(product_links(page)) == [
        "ember-longsword", "frost-sabre", "moonlit-rapier", "oaken-buckler", "shadow-dagger",
    ]  # fmt: skip
    assert f'<a href="/shop/{STORE}/categories/shields">Shields</a>' in page.html  # top-level chips


def test_search_results_show_matching_products_and_are_not_indexed(
    seeded: Cloud, searchable: Callable[[], int]
) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/search", query="q=longsword")

    assert page.status == 200
    assert "Results for “longsword”" in text_of(page)
    assert product_links(page)[0] == "ember-longsword"
    assert '<meta name="robots" content="noindex">' in page.html
    assert 'value="longsword"' in page.html  # the header's search box keeps the query


def test_a_search_without_results_or_without_words_is_friendly(seeded: Cloud, searchable: Callable[[], int]) -> None:
    browser = Browser(seeded)

    empty = browser.get(f"/shop/{STORE}/search")
    nothing = browser.get(f"/shop/{STORE}/search", query="q=zzyzx")
    no_word = browser.get(f"/shop/{STORE}/search", query="q=%21")

    assert empty.status == 200 and "Search the shop" in text_of(empty)
    assert nothing.status == 200 and "Nothing matched “zzyzx”" in text_of(nothing)
    assert no_word.status == 400 and "a word of two or more letters" in text_of(no_word)


def test_search_suggestions_are_product_titles_as_json(seeded: Cloud, searchable: Callable[[], int]) -> None:
    import json

    browser = Browser(seeded)
    found = browser.get(f"/shop/{STORE}/search/suggest", query="q=sab")
    none = browser.get(f"/shop/{STORE}/search/suggest", query="q=")

    assert found.status == 200 and found.headers["content-type"].startswith("application/json")
    assert json.loads(found.html) == {"suggestions": ["Frost Sabre"]}
    assert json.loads(none.html) == {"suggestions": []}


def test_the_sitemap_lists_the_pages_of_categories_and_products(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/sitemap.xml")

    assert page.status == 200 and page.headers["content-type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [urlsplit(e.text or "").path for e in ElementTree.fromstring(page.html).findall("s:url/s:loc", ns)]
    assert locs[:2] == [f"/shop/{STORE}/", f"/shop/{STORE}/products"]
    assert f"/shop/{STORE}/categories/daggers" in locs
    assert f"/shop/{STORE}/products/ember-longsword" in locs
    assert f"/shop/{STORE}/products/tower-shield" not in locs  # a draft


def test_robots_point_at_the_pages_sitemap_and_keep_shoppers_pages_out(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/robots.txt")

    assert page.status == 200 and page.headers["content-type"].startswith("text/plain")
    lines = page.html.splitlines()
    assert f"Allow: /shop/{STORE}/" in lines
    for private in ("search", "cart", "checkout", "account"):
        assert f"Disallow: /shop/{STORE}/{private}" in lines
    assert re.match(rf"Sitemap: https?://[^/]+/shop/{STORE}/sitemap\.xml$", lines[-1])
    assert Browser(seeded).get("/shop/no-such-shop/robots.txt").status == 404


def test_the_home_page_links_categories_and_all_products(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"/shop/{STORE}/")

    assert f'href="/shop/{STORE}/categories/blades"' in page.html
    assert f'href="/shop/{STORE}/products"' in page.html
    assert of_type(page, "Organization")["name"] == "Mystmere Forge"
    assert f'<link rel="sitemap" type="application/xml" href="/shop/{STORE}/sitemap.xml">' in page.html
    assert json_ld(page)
