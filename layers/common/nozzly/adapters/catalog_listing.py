"""The storefront's listing keys: which index entries a product item carries, so listings are single Queries.

Written by catalog_codec on every product write; the storefront's list queries read them (README.md).
"""

from __future__ import annotations

from typing import Any

from nozzly.domain.catalog import Product

# '#' sorts before every slug character, so a container item comes first in its own listing.
CONTAINER_SORT = "#"


def all_products_partition(store_id: str) -> str:
    return f"{store_id}#PRODUCTS"


def category_products_partition(store_id: str, category: str) -> str:
    return f"{store_id}#CATEGORY#{category}"


def listing_keys(product: Product) -> dict[str, Any]:
    """Sparse indexes: only published, undeleted products carry them, so only they are listed."""
    if not product.is_published:
        return {}
    return {
        "gsi1pk": all_products_partition(product.store_id),
        "gsi1sk": product.slug,
        "gsi2pk": category_products_partition(product.store_id, product.category),
        "gsi2sk": product.slug,
    }
