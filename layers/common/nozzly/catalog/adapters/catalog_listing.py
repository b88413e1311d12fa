"""The storefront's listing keys: which index entries a product item carries, so listings are single Queries.

Written by catalog_codec on every product write; the storefront's list queries read them (README.md).
Every sort order has its own GSI over the store's published products (partition `{store}#PRODUCTS`), each
read front to back; the catalog root is the first item of each (sort key '#'), so one Query also says
whether the store exists. gsi2 lists one category (its own products only, by title) for related products.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.domain.slugs import slugify

# '#' sorts before every digit and slug character, so a container item comes first in its own listing.
CONTAINER_SORT = "#"
_PRICE_DIGITS = 12  # minor units up to 10^12 - 1: ten billion in a two-decimal currency
_TIME_DIGITS = 10  # epoch seconds until the year 2286
_PRICE_CEILING = 10**_PRICE_DIGITS - 1
_TIME_CEILING = 10**_TIME_DIGITS - 1
_TITLE_KEY_LENGTH = 60


class Sort(StrEnum):
    TITLE = "title"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"


# Each sort's index, read ascending: descending orders store an inverted key instead of reading backwards,
# because a backwards read would meet the catalog root ('#') last.
SORT_INDEXES: dict[Sort, str] = {
    Sort.TITLE: "gsi1",
    Sort.NEWEST: "gsi3",
    Sort.PRICE_ASC: "gsi4",
    Sort.PRICE_DESC: "gsi5",
}


def all_products_partition(store_id: str) -> str:
    return f"{store_id}#PRODUCTS"


def category_products_partition(store_id: str, category: str) -> str:
    return f"{store_id}#CATEGORY#{category}"


def index_key_attrs(index: str) -> tuple[str, str]:
    return f"{index}pk", f"{index}sk"


def price_sort_key(amount: int, *, descending: bool) -> str:
    """Zero-padded so that string order is numeric order; inverted for the descending index."""
    clamped = min(max(amount, 0), _PRICE_CEILING)
    return f"{_PRICE_CEILING - clamped if descending else clamped:0{_PRICE_DIGITS}d}"


def _title_key(product: Product) -> str:
    # Case- and accent-folded, so "Élan" sorts with "elan"; the slug makes each key unique.
    return f"{slugify(product.title)[:_TITLE_KEY_LENGTH] or '-'}#{product.slug}"


def _sort_keys(product: Product) -> dict[Sort, str]:
    created = min(max(product.created_at, 0), _TIME_CEILING)
    return {
        Sort.TITLE: _title_key(product),
        Sort.NEWEST: f"{_TIME_CEILING - created:0{_TIME_DIGITS}d}#{product.slug}",
        Sort.PRICE_ASC: f"{price_sort_key(product.price.amount, descending=False)}#{product.slug}",
        Sort.PRICE_DESC: f"{price_sort_key(product.price.amount, descending=True)}#{product.slug}",
    }


def root_listing_keys(store_id: str) -> dict[str, Any]:
    """The catalog root heads every store-wide listing: it proves the store exists (or was deleted)."""
    keys: dict[str, Any] = {}
    for index in SORT_INDEXES.values():
        pk, sk = index_key_attrs(index)
        keys |= {pk: all_products_partition(store_id), sk: CONTAINER_SORT}
    return keys


def listing_keys(product: Product) -> dict[str, Any]:
    """Sparse indexes: only published, undeleted products carry them, so only they are listed.

    `in_stock` is kept beside the keys because a filter cannot sum variants: whoever changes stock writes
    the product through the codec, which recomputes it.
    """
    if not product.is_published:
        return {}
    keys: dict[str, Any] = {"in_stock": product.available > 0}
    for sort, value in _sort_keys(product).items():
        pk, sk = index_key_attrs(SORT_INDEXES[sort])
        keys |= {pk: all_products_partition(product.store_id), sk: value}
    return keys | {
        "gsi2pk": category_products_partition(product.store_id, product.category),
        "gsi2sk": _title_key(product),
    }
