"""Recounting a store's published products per category and for the whole store."""

from __future__ import annotations

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import count_published_by_category


def recount(store_id: str, catalog: CatalogRepository) -> dict[str, int]:
    """Write the counts that changed; running it twice writes the same numbers (idempotent)."""
    categories, products = catalog.load_all(store_id)
    counts = count_published_by_category(products)
    for category in categories:
        if category.product_count != counts.get(category.slug, 0):
            catalog.set_product_count(store_id, category.slug, counts.get(category.slug, 0))
    catalog.set_product_count(store_id, None, sum(counts.values()))
    return counts
