"""Sitemap, robots and schema.org Product data, pure."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.catalog.domain.seo import SITEMAP_NS, SitemapUrl, product_json_ld, robots_txt, sitemap_xml
from nozzly.kernel.domain.money import Money

pytestmark = pytest.mark.unit


def test_sitemap_is_valid_xml_with_escaped_urls_and_dates() -> None:
    xml = sitemap_xml([SitemapUrl("https://x.test/stores/s"), SitemapUrl("https://x.test/p?a=1&b=2", 1795341600)])

    root = ElementTree.fromstring(xml)
    urls = root.findall(f"{{{SITEMAP_NS}}}url")
    assert [u.findtext(f"{{{SITEMAP_NS}}}loc") for u in urls] == ["https://x.test/stores/s", "https://x.test/p?a=1&b=2"]
    assert urls[0].find(f"{{{SITEMAP_NS}}}lastmod") is None
    assert urls[1].findtext(f"{{{SITEMAP_NS}}}lastmod") == "2026-11-22"


def test_robots_keeps_crawlers_off_search_and_shopper_pages() -> None:
    text = robots_txt("/stores/s", "https://x.test/stores/s/sitemap.xml")

    assert text.splitlines() == [
        "User-agent: *",
        "Allow: /stores/s/",
        "Disallow: /stores/s/search",
        "Disallow: /stores/s/me",
        "Disallow: /stores/s/auth/",
        "Disallow: /stores/s/sessions",
        "Sitemap: https://x.test/stores/s/sitemap.xml",
    ]


def test_json_ld_has_an_offer_per_variant_with_decimal_prices_and_availability() -> None:
    product = Product(
        store_id="s",
        slug="kris",
        title="Kris",
        price=Money(1500, "JPY"),
        category="blades",
        brand="orchid",
        cost=Money(400, "JPY"),
        variants=(
            Variant("a", "K-A", "Plain", 10),
            Variant("b", "K-B", "Gilded", 2, price=Money(2500, "JPY")),
            Variant("c", "K-C", "Bone", 0),
        ),
    )

    data = product_json_ld(product, "https://x.test/p/kris", ["https://img/1"])

    assert data["@type"] == "Product" and data["brand"] == {"@type": "Brand", "name": "orchid"}
    assert data["image"] == ["https://img/1"] and data["sku"] == "K-A"
    assert [(o["price"], o["availability"].rsplit("/", 1)[1]) for o in data["offers"]] == [
        ("1500", "InStock"),
        ("2500", "LimitedAvailability"),
        ("1500", "OutOfStock"),
    ]
    assert "400" not in str(data)  # never the cost
