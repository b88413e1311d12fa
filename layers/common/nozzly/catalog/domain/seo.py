"""What search engines read about a store: its sitemap, its robots rules and schema.org Product data. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from nozzly.catalog.domain.catalog import Product, StockStatus

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_AVAILABILITY = {
    StockStatus.IN_STOCK: "https://schema.org/InStock",
    StockStatus.LOW_STOCK: "https://schema.org/LimitedAvailability",
    StockStatus.OUT_OF_STOCK: "https://schema.org/OutOfStock",
}


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str
    lastmod: int = 0  # epoch seconds; 0: unknown, left out


def sitemap_xml(urls: Sequence[SitemapUrl]) -> str:
    entries = []
    for url in urls:
        lastmod = (
            f"<lastmod>{datetime.fromtimestamp(url.lastmod, UTC).strftime('%Y-%m-%d')}</lastmod>" if url.lastmod else ""
        )
        entries.append(f"  <url><loc>{escape(url.loc)}</loc>{lastmod}</url>")
    body = "\n".join(entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{body}\n</urlset>\n'


def robots_txt(store_path: str, sitemap_url: str) -> str:
    """Crawl the store's catalog, not its search results or shoppers' pages; point at the sitemap.

    `store_path` is the store's path on its host, without a trailing slash ('/stores/mystmereforge').
    """
    return (
        "User-agent: *\n"
        f"Allow: {store_path}/\n"
        f"Disallow: {store_path}/search\n"
        f"Disallow: {store_path}/me\n"
        f"Disallow: {store_path}/auth/\n"
        f"Disallow: {store_path}/sessions\n"
        f"Sitemap: {sitemap_url}\n"
    )


def product_json_ld(product: Product, url: str, image_urls: Sequence[str]) -> dict[str, Any]:
    """schema.org Product with one Offer per variant. Never the cost: only what a shopper may see."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.seo_description or product.description,
        "url": url,
        "sku": product.variants[0].sku,
        "image": list(image_urls),
        "offers": [
            {
                "@type": "Offer",
                "sku": variant.sku,
                "name": variant.title,
                "price": product.price_of(variant).to_decimal_string(),
                "priceCurrency": product.price.currency,
                "availability": _AVAILABILITY[variant.stock_status],
                "itemCondition": "https://schema.org/NewCondition",
                "url": url,
            }
            for variant in product.variants
        ],
    }
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    if product.tags:
        data["keywords"] = ", ".join(product.tags)
    return data
