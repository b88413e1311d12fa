"""Operators' catalog: products, variants and stock adjustments of one store.

The store comes from the path and the caller from the verified token; services.tenancy decides (catalog.read
for reads, catalog.write for writes). Images of a product have their own routes (ImageUploads), categories
and brands theirs (CatalogTaxonomy): fewer routes per function is a shorter cold start.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import PLAN_LIMIT, build_app, http_handler, operation_ids
from nozzly.catalog.contracts import catalog_admin as c
from nozzly.catalog.domain.admin_search import MAX_QUERY_LENGTH
from nozzly.catalog.domain.catalog import Product, ProductStatus
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import catalog, media

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("admin"),
    prefix="/admin/stores/{store}",
    responses={s: {"model": ErrorResponse} for s in (401, 403, 409)},
)


def _slug(what: str) -> Any:
    return Path(pattern=SLUG_PATTERN, max_length=80, description=f"The {what}'s slug.")


StoreId = Annotated[str, _slug("store")]
ProductSlug = Annotated[str, _slug("product")]
VariantId = Annotated[str, _slug("variant")]
Cursor = Annotated[str | None, Query(max_length=2048)]
Limit = Annotated[int, Query(ge=1, le=100)]
ShowDeleted = Annotated[bool, Query(description="true: only soft-deleted ones (to restore them).")]
SEARCH_HELP = (
    "Free text: every word starts a word of the title (case and accents ignored), or a variant's SKU or its "
    "start, or the product's slug. With q a page may hold fewer than `limit` products, even none, while "
    "`next_cursor` is set: each request reads a bounded number of products; follow the cursor until it is null."
)


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _out(product: Product) -> c.AdminProductOut:
    """The answer with each image's stable CDN URL: computed, no call to S3."""
    return c.product_out(product, media.product_images().url)


# ---------------------------------------------------------------- products
@router.get("/products", response_model=c.AdminProductPage)
def list_products(
    store: StoreId,
    request: Request,
    *,
    status: Annotated[c.Status | None, Query()] = None,
    category: Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=80, description="Its subtree.")] = None,
    deleted: ShowDeleted = False,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_LENGTH, description=SEARCH_HELP)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> c.AdminProductPage:
    page = catalog.catalog_admin().list_products(
        store,
        _me(request),
        status=ProductStatus(status) if status else None,
        deleted=deleted,
        category=category,
        q=q,
        cursor=cursor,
        limit=limit,
    )
    return c.AdminProductPage(items=[_out(p) for p in page.products], next_cursor=page.next_cursor)


@router.post("/products", status_code=201, response_model=c.AdminProductOut, responses=PLAN_LIMIT)
def create_product(store: StoreId, body: c.ProductIn, request: Request) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().create_product(store, _me(request), c.new_product(body)))


@router.post("/products/bulk-status", response_model=c.ProductList)
def bulk_status(store: StoreId, body: c.BulkStatusIn, request: Request) -> c.ProductList:
    changed = catalog.catalog_admin().bulk_status(store, _me(request), body.products, ProductStatus(body.status))
    return c.ProductList(items=[_out(p) for p in changed])


@router.get("/products/{product}", response_model=c.AdminProductOut)
def get_product(store: StoreId, product: ProductSlug, request: Request) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().get_product(store, _me(request), product))


@router.patch("/products/{product}", response_model=c.AdminProductOut)
def update_product(store: StoreId, product: ProductSlug, body: c.ProductPatch, request: Request) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().update_product(store, _me(request), product, body.changes(), body.version))


@router.delete("/products/{product}", status_code=204)
def delete_product(store: StoreId, product: ProductSlug, request: Request) -> Response:
    catalog.catalog_admin().delete_product(store, _me(request), product)
    return Response(status_code=204)


@router.post("/products/{product}/restore", response_model=c.AdminProductOut, responses=PLAN_LIMIT)
def restore_product(store: StoreId, product: ProductSlug, request: Request) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().restore_product(store, _me(request), product))


# ---------------------------------------------------------------- variants and stock
@router.post("/products/{product}/variants", status_code=201, response_model=c.AdminProductOut)
def add_variant(store: StoreId, product: ProductSlug, body: c.VariantIn, request: Request) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().add_variant(store, _me(request), product, c.new_variant(body)))


@router.patch("/products/{product}/variants/{variant}", response_model=c.AdminProductOut)
def update_variant(
    store: StoreId, product: ProductSlug, variant: VariantId, body: c.VariantPatch, request: Request
) -> c.AdminProductOut:
    return _out(catalog.catalog_admin().update_variant(store, _me(request), product, variant, body.changes()))


@router.delete("/products/{product}/variants/{variant}", status_code=204)
def delete_variant(store: StoreId, product: ProductSlug, variant: VariantId, request: Request) -> Response:
    catalog.catalog_admin().delete_variant(store, _me(request), product, variant)
    return Response(status_code=204)


@router.post("/products/{product}/variants/{variant}/stock-adjustments", status_code=201, response_model=c.AdjustedOut)
def adjust_stock(
    store: StoreId, product: ProductSlug, variant: VariantId, body: c.StockAdjustmentIn, request: Request
) -> c.AdjustedOut:
    adjustment, changed = catalog.catalog_admin().adjust_stock(
        store, _me(request), product, variant, delta=body.delta, reason=body.reason, note=body.note
    )
    line = next(v for v in changed.variants if v.variant_id == variant)
    return c.AdjustedOut(adjustment=c.adjustment_out(adjustment), variant=c.variant_out(line))


@router.get("/products/{product}/variants/{variant}/stock-adjustments", response_model=c.AdjustmentPage)
def list_adjustments(
    store: StoreId,
    product: ProductSlug,
    variant: VariantId,
    request: Request,
    *,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> c.AdjustmentPage:
    page = catalog.catalog_admin().list_adjustments(store, _me(request), product, variant, cursor=cursor, limit=limit)
    return c.AdjustmentPage(items=[c.adjustment_out(a) for a in page.adjustments], next_cursor=page.next_cursor)


app = build_app("Nozzly catalog: products and stock", [router])
handler = http_handler(app)
