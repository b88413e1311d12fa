"""The shop pages' pure decisions: titles and descriptions, ratings in JSON-LD, robots rules, listing filters,
responsive image sources and related-product ranking."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.catalog.domain.related import rank_related
from nozzly.catalog.domain.seo import robots_txt
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.shopfront.domain.gallery import best_src, srcset
from nozzly.shopfront.domain.listing_filters import Filters, parse_filters, to_minor
from nozzly.shopfront.domain.seo import PageMeta, page_description, page_title, shop_robots, with_rating

pytestmark = pytest.mark.unit


def _product(slug: str, tags: tuple[str, ...]) -> Product:
    return Product(
        "s", slug, slug.title(), Money(100, "EUR"), "c", tags=tags, variants=(Variant("v", f"SKU-{slug}", "V", 1),)
    )


# ---- titles, descriptions, JSON-LD


def test_the_seo_title_wins_over_the_title_unless_blank() -> None:
    assert page_title("Buy the Ember Longsword", "Ember Longsword") == "Buy the Ember Longsword"
    assert page_title("  ", "Ember Longsword") == "Ember Longsword"


def test_the_description_is_the_seo_text_else_the_shortened_description_else_the_fallback() -> None:
    assert page_description("Short SEO text.", "Long description") == "Short SEO text."
    long = "word " * 60
    shortened = page_description("", long)
    assert len(shortened) <= 160 and shortened.endswith("…")
    assert page_description("", "", "Ember Longsword at Mystmere Forge.") == "Ember Longsword at Mystmere Forge."


def test_a_rating_joins_the_product_json_ld_only_when_there_are_reviews() -> None:
    ld = {"@type": "Product", "name": "X"}

    assert with_rating(ld, 0, None) == ld
    rated = with_rating(ld, 3, "4.7")
    assert rated["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.7",
        "reviewCount": 3,
        "bestRating": 5,
    }
    assert "aggregateRating" not in ld  # the product's own data is not changed


def test_json_ld_text_cannot_close_its_script_element() -> None:
    meta = PageMeta(title="t", json_ld=[{"name": "</script><script>alert(1)</script>"}])

    assert "</script>" not in meta.json_ld_text()[0]


def test_shop_robots_add_the_shoppers_pages_and_keep_the_sitemap_last() -> None:
    text = shop_robots(robots_txt("/shop/s", "https://x.test/shop/s/sitemap.xml"), "/shop/s")
    lines = text.splitlines()

    assert "Allow: /shop/s/" in lines
    assert [line for line in lines if line == "Disallow: /shop/s/search"] == ["Disallow: /shop/s/search"]
    assert {"Disallow: /shop/s/cart", "Disallow: /shop/s/checkout", "Disallow: /shop/s/account"} <= set(lines)
    assert lines[-1] == "Sitemap: https://x.test/shop/s/sitemap.xml"


def test_on_its_own_domain_a_shop_allows_the_root() -> None:
    lines = shop_robots(robots_txt("", "https://s.example/sitemap.xml"), "").splitlines()

    assert "Allow: /" in lines and "Disallow: /cart" in lines


# ---- listing filters


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("12", "EUR", 1200), ("12.5", "EUR", 1250), ("12,50", "EUR", 1250), ("0", "EUR", 0), ("1500", "JPY", 1500)],
)
def test_a_price_in_major_units_becomes_minor_units(text: str, currency: str, minor: int) -> None:
    assert to_minor(text, currency, "price_min") == minor


@pytest.mark.parametrize("text", ["abc", "-1", "1.999", "nan", "inf", "1e400", "1" * 30, "12.5"])
def test_a_price_that_is_not_one_is_invalid_input_naming_the_field(text: str) -> None:
    currency = "JPY" if text == "12.5" else "EUR"  # a yen has no decimals
    with pytest.raises(InvalidInput) as refused:
        to_minor(text, currency, "price_max")
    assert refused.value.field == "price_max"


def test_filters_parse_what_the_form_sends_and_give_it_back_as_a_query() -> None:
    found = parse_filters(
        {"sort": "price_desc", "in_stock": "1", "price_min": " 5 ", "price_max": "20.5", "brand": "acme"},
        "EUR",
        frozenset({"acme"}),
    )

    assert found == Filters("price_desc", True, 500, 2050, "acme", "5", "20.5")
    assert found.active
    assert found.query() == {
        "sort": "price_desc",
        "in_stock": "1",
        "price_min": "5",
        "price_max": "20.5",
        "brand": "acme",
    }
    assert parse_filters({}, "EUR") == Filters()
    assert not Filters().active and Filters().query() == {}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sort": "cheapest"}, "sort"), ({"price_min": "9", "price_max": "3"}, "price_max"), ({"brand": "nope"}, "brand")],
)
def test_filters_a_shopper_could_not_choose_are_invalid_input(params: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_filters(params, "EUR", frozenset({"acme"}))
    assert refused.value.field == field


# ---- pictures


def test_srcset_lists_renditions_narrowest_first_and_src_prefers_a_wide_enough_one() -> None:
    renditions = [(1600, "c.webp"), (256, "a.webp"), (768, "b.webp")]

    assert srcset(renditions) == "a.webp 256w, b.webp 768w, c.webp 1600w"
    assert best_src("orig.png", renditions) == "b.webp"
    assert best_src("orig.png", [(256, "a.webp")]) == "a.webp"
    assert best_src("orig.png", []) == "orig.png" and srcset([]) == ""


# ---- related products


def test_related_products_share_the_most_tags_first_and_leave_the_product_out() -> None:
    candidates = [
        _product("a", ()),
        _product("b", ("steel",)),
        _product("me", ("steel", "larp")),
        _product("c", ("steel", "larp")),
    ]

    ranked = rank_related(candidates, "me", ["steel", "larp", ""], 3)

    assert [p.slug for p in ranked] == ["c", "b", "a"]
    assert [p.slug for p in rank_related(candidates, "me", [], 2)] == ["a", "b"]  # no tags: the category's order
