"""Public storefront read path: store profile, categories, products. Each route is one DynamoDB call."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Query, Response

from nozzly.api import build_app, http_handler
from nozzly.contracts.storefront import (
    CategoryList,
    ProductOut,
    ProductPage,
    StoreOut,
    category_out,
    product_out,
    product_summary_out,
    store_out,
)
from nozzly.domain.errors import NotFound
from nozzly.domain.slugs import SLUG_PATTERN

if TYPE_CHECKING:  # built on first use in _deps: adapters are not cold-start costs
    from nozzly.adapters.catalog import CatalogRepository
    from nozzly.adapters.images import ProductImages
    from nozzly.adapters.stores import StoresRepository

router = APIRouter(prefix="/stores/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
CACHE = "public, max-age=60"


@cache
def _deps() -> tuple[StoresRepository, CatalogRepository, ProductImages]:
    from nozzly.adapters.catalog import CatalogRepository
    from nozzly.adapters.images import ProductImages
    from nozzly.adapters.stores import StoresRepository
    from nozzly.settings import get_settings

    s = get_settings()
    return (
        StoresRepository(s.stores_table),
        CatalogRepository(s.catalog_table),
        ProductImages(s.images_bucket, s.image_url_ttl_seconds),
    )


@router.get("", response_model=StoreOut)
def get_store(store: StoreId, response: Response) -> StoreOut:
    response.headers["cache-control"] = CACHE
    return store_out(_deps()[0].get(store))


@router.get("/categories", response_model=CategoryList)
def list_categories(store: StoreId, response: Response) -> CategoryList:
    response.headers["cache-control"] = CACHE
    return CategoryList(items=[category_out(c) for c in _deps()[1].list_categories(store)])


@router.get("/products", response_model=ProductPage)
def list_products(
    store: StoreId,
    response: Response,
    category: Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=80)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> ProductPage:
    _, catalog, images = _deps()
    page = catalog.list_products(store, category=category, cursor=cursor, limit=limit)
    response.headers["cache-control"] = CACHE
    return ProductPage(items=[product_summary_out(p, images.url) for p in page.products], next_cursor=page.next_cursor)


@router.get("/products/{product}", response_model=ProductOut)
def get_product(
    store: StoreId, product: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)], response: Response
) -> ProductOut:
    _, catalog, images = _deps()
    found = catalog.get_product(store, product)
    if not found.is_published:
        raise NotFound(f"product {product!r} not found", field="product")
    response.headers["cache-control"] = CACHE
    return product_out(found, images.url)


app = build_app("Nozzly storefront catalog", [router])
handler = http_handler(app)
