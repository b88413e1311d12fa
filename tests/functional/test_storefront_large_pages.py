"""Listings whose items are large enough that DynamoDB cuts a page at 1 MB before the requested size."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.kernel.domain.money import Money
from tests.functional.harness import STORE, Cloud, http_event

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

LARGE = 60  # ~25 KB each: about 40 fit in DynamoDB's 1 MB page, fewer than the 100 asked for


def _large_product(n: int) -> Product:
    return Product(
        store_id=STORE,
        slug=f"tome-{n:03d}",
        title=f"Tome {n}",
        description="Vellum pages, hand-lettered. " * 900,
        category="blades",
        price=Money(1000 + n, "EUR"),
        variants=(Variant(variant_id="default", sku=f"MF-TOME-{n:03d}", title="Default", stock_on_hand=1),),
    )


def test_a_page_cut_at_1_mb_still_leads_to_every_product(seeded: Cloud) -> None:
    catalog = CatalogRepository(seeded.catalog_table)
    for n in range(LARGE):
        catalog.put_product(_large_product(n))

    seen: list[str] = []
    pages = 0
    query: dict[str, Any] = {"category": "blades", "limit": "100"}
    while True:
        response = seeded.http("StorefrontCatalog", http_event("storefront_list_products.json", query=query))
        assert response.status == 200, response.body
        pages += 1
        seen += [p["slug"] for p in response.body["items"]]
        if response.body["next_cursor"] is None:
            break
        query = {"category": "blades", "limit": "100", "cursor": response.body["next_cursor"]}

    tomes = [s for s in seen if s.startswith("tome-")]
    # All of them, each once, in title order ("Tome 10" before "Tome 2").
    assert tomes == sorted((f"tome-{n:03d}" for n in range(LARGE)), key=lambda slug: str(int(slug[5:])))
    assert len(seen) == len(set(seen))
    assert pages >= 2  # the first page was cut short by size, not by the limit
