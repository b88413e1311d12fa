"""The local supplier's product feeds, for product research: the same catalogue as CSV, JSON and a Google
Merchant Center XML feed, served by localcloud/supplier_peer.py at `/feeds/products.csv`,
`/feeds/products.json` and `/feeds/merchant.xml`.

Chosen so a research run has something to rank and to merge: the CSV and the XML both list the walnut board
(one GTIN, different costs: the cheaper offer stays), the JSON repeats the desk lamp under a near-identical
title, and the local Reddit peer (localcloud/reddit_peer.py) talks about desk lamps and tankards.
The mappings a store would configure for the CSV and JSON feeds are CSV_MAPPING and JSON_MAPPING.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape

# id, title, cost (minor units, EUR), shipping, days, gtin, rating, orders, competitors
CSV_PRODUCTS: list[tuple[str, str, int, int, int, str, str, int, int]] = [
    ("LMP-1", "LED Desk Lamp, black", 1_000, 250, 9, "", "4.5", 400, 3),
    ("BRD-7", "Walnut Serving Board", 1_800, 400, 6, "4006381333931", "4.8", 1_200, 1),
    ("STR-2", "Phone Strap", 400, 100, 30, "", "", 0, 10),
]
JSON_PRODUCTS: list[dict[str, Any]] = [
    {"sku": "J-LAMP", "name": "Black LED desk lamp", "unit_cost": "11.00", "ship": "2.50", "days": 12,
     "stars": 4.1, "sold": 90, "sellers": 6},
    {"sku": "J-TANK", "name": "Copper Forge Tankard", "unit_cost": "7.50", "ship": "3.00", "days": 8,
     "stars": 4.6, "sold": 650, "sellers": 2},
]  # fmt: skip
MERCHANT_PRODUCTS: list[dict[str, str]] = [
    {"id": "G-BRD", "title": "Walnut serving board", "price": "16.00 EUR", "shipping": "3.00 EUR",
     "days": "7", "gtin": "4006381333931"},
    {"id": "G-CHR", "title": "Ergonomic Chair", "price": "35.00 EUR", "shipping": "5.00 EUR", "days": "3",
     "gtin": ""},
]  # fmt: skip
CSV_MAPPING = {
    "source_id": "id", "title": "title", "url": "url", "cost": "cost", "shipping": "shipping",
    "shipping_days": "days", "gtin": "gtin", "rating": "rating", "orders": "orders", "competitors": "competitors",
}  # fmt: skip
JSON_MAPPING = {
    "source_id": "sku", "title": "name", "url": "link", "cost": "unit_cost", "shipping": "ship",
    "shipping_days": "days", "rating": "stars", "orders": "sold", "competitors": "sellers",
}  # fmt: skip


def products_csv(
    base_url: str, products: list[tuple[str, str, int, int, int, str, str, int, int]] | None = None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "url", "cost", "shipping", "days", "gtin", "rating", "orders", "competitors"])
    for sku, title, cost, shipping, days, gtin, rating, orders, competitors in products or CSV_PRODUCTS:
        url = f"{base_url}/products/{sku}.json"
        writer.writerow(
            [sku, title, url, f"{cost / 100:.2f}", f"{shipping / 100:.2f}", days, gtin, rating, orders, competitors]
        )
    return out.getvalue().encode()


def products_json(base_url: str) -> bytes:
    return json.dumps(
        {"products": [{**p, "link": f"{base_url}/products/{p['sku']}.json"} for p in JSON_PRODUCTS]}
    ).encode()


def merchant_xml(base_url: str) -> bytes:
    items = "".join(
        f"<item><g:id>{escape(p['id'])}</g:id><g:title>{escape(p['title'])}</g:title>"
        f"<g:link>{escape(base_url)}/products/{escape(p['id'])}.json</g:link><g:price>{p['price']}</g:price>"
        f"<g:shipping><g:country>DE</g:country><g:price>{p['shipping']}</g:price>"
        f"<g:max_transit_time>{p['days']}</g:max_transit_time></g:shipping>"
        + (f"<g:gtin>{p['gtin']}</g:gtin>" if p["gtin"] else "")
        + "</item>"
        for p in MERCHANT_PRODUCTS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
        f"<channel><title>Local supplier</title><link>{escape(base_url)}</link>{items}</channel></rss>"
    ).encode()


# `make bench`'s supplier: 64 more products (8 materials x 8 things, titles far enough apart that none merge), as
# a CSV feed with the same columns and mapping as products.csv. Costs 6.00-37.50 EUR, so every import is priced.
BENCH_MATERIALS = ("Amber", "Birch", "Cobalt", "Dune", "Fern", "Granite", "Harbor", "Ivory")
BENCH_THINGS = ("Vase", "Stool", "Lantern", "Tray", "Mug", "Clock", "Basket", "Blanket")
BENCH_PRODUCTS: list[tuple[str, str, int, int, int, str, str, int, int]] = [
    (f"BN-{i:03d}", f"{material} {thing}", 600 + 50 * i, 300, 5 + i % 20, "", "4.2", 10 * i, i % 10)
    for i, (material, thing) in enumerate(((m, t) for m in BENCH_MATERIALS for t in BENCH_THINGS), start=1)
]


def bench_csv(base_url: str) -> bytes:
    return products_csv(base_url, BENCH_PRODUCTS)


FEEDS = {
    "/feeds/bench.csv": (bench_csv, "text/csv; charset=utf-8"),
    "/feeds/products.csv": (products_csv, "text/csv; charset=utf-8"),
    "/feeds/products.json": (products_json, "application/json"),
    "/feeds/merchant.xml": (merchant_xml, "application/xml"),
}


def feed_products() -> dict[str, dict[str, Any]]:
    """Every feed row as the supplier's product document, so a researched candidate imports like any product.

    The document's cost and shipping are the feed's: the import prices the landed cost the research scored."""

    def spec(title: str, cost: int, shipping: int) -> dict[str, Any]:
        return {
            "title": title,
            "description": f"{title}, from the local supplier's catalogue.",
            "features": ["Ships from the supplier's warehouse"],
            "images": 1,
            "cost": {"amount": cost, "currency": "EUR"},
            "shipping": {"amount": shipping, "currency": "EUR"},
            "stock": 25,
            "weight_grams": 800,
        }

    def minor(decimal: str) -> int:
        return round(float(decimal.split(maxsplit=1)[0]) * 100)

    rows = {sku: spec(title, cost, shipping) for sku, title, cost, shipping, *_ in CSV_PRODUCTS + BENCH_PRODUCTS}
    rows |= {p["sku"]: spec(p["name"], minor(p["unit_cost"]), minor(p["ship"])) for p in JSON_PRODUCTS}
    rows |= {p["id"]: spec(p["title"], minor(p["price"]), minor(p["shipping"])) for p in MERCHANT_PRODUCTS}
    return rows
