"""Operators' catalog taxonomy: the category tree and the brands of one store.

The store comes from the path and the caller from the verified token; services.tenancy decides (catalog.read
for reads, catalog.write for writes). Products, variants and stock are CatalogAdmin's routes.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.catalog.contracts import catalog_taxonomy as t
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
CategorySlug = Annotated[str, _slug("category")]
BrandSlug = Annotated[str, _slug("brand")]
ShowDeleted = Annotated[bool, Query(description="true: only soft-deleted ones (to restore them).")]


def _url(key: str) -> str:
    """The stable CDN URL of an image (banners, logos): computed, no call to S3."""
    return media.product_images().url(key)


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


# ---------------------------------------------------------------- categories
@router.get("/categories", response_model=t.AdminCategoryList)
def list_categories(store: StoreId, request: Request, deleted: ShowDeleted = False) -> t.AdminCategoryList:
    return t.AdminCategoryList(
        items=[t.category_out(x, _url) for x in catalog.category_admin().list(store, _me(request), deleted=deleted)]
    )


@router.post("/categories", status_code=201, response_model=t.AdminCategoryOut)
def create_category(store: StoreId, body: t.CategoryIn, request: Request) -> t.AdminCategoryOut:
    created = catalog.category_admin().create(store, _me(request), **body.model_dump())
    return t.category_out(created, _url)


@router.patch("/categories/{category}", response_model=t.AdminCategoryOut)
def update_category(
    store: StoreId, category: CategorySlug, body: t.CategoryPatch, request: Request
) -> t.AdminCategoryOut:
    return t.category_out(
        catalog.category_admin().update(store, _me(request), category, body.changes(), body.version), _url
    )


@router.delete("/categories/{category}", status_code=204)
def delete_category(store: StoreId, category: CategorySlug, request: Request) -> Response:
    catalog.category_admin().delete(store, _me(request), category)
    return Response(status_code=204)


@router.post("/categories/{category}/restore", response_model=t.AdminCategoryOut)
def restore_category(store: StoreId, category: CategorySlug, request: Request) -> t.AdminCategoryOut:
    return t.category_out(catalog.category_admin().restore(store, _me(request), category), _url)


# ---------------------------------------------------------------- brands
@router.get("/brands", response_model=t.BrandList)
def list_brands(store: StoreId, request: Request, deleted: ShowDeleted = False) -> t.BrandList:
    return t.BrandList(
        items=[t.brand_out(b, _url) for b in catalog.brand_admin().list(store, _me(request), deleted=deleted)]
    )


@router.post("/brands", status_code=201, response_model=t.BrandOut)
def create_brand(store: StoreId, body: t.BrandIn, request: Request) -> t.BrandOut:
    return t.brand_out(catalog.brand_admin().create(store, _me(request), **body.model_dump()), _url)


@router.get("/brands/{brand}", response_model=t.BrandOut)
def get_brand(store: StoreId, brand: BrandSlug, request: Request) -> t.BrandOut:
    return t.brand_out(catalog.brand_admin().get(store, _me(request), brand), _url)


@router.patch("/brands/{brand}", response_model=t.BrandOut)
def update_brand(store: StoreId, brand: BrandSlug, body: t.BrandPatch, request: Request) -> t.BrandOut:
    return t.brand_out(catalog.brand_admin().update(store, _me(request), brand, body.changes(), body.version), _url)


@router.delete("/brands/{brand}", status_code=204)
def delete_brand(store: StoreId, brand: BrandSlug, request: Request) -> Response:
    catalog.brand_admin().set_deleted(store, _me(request), brand, True)
    return Response(status_code=204)


@router.post("/brands/{brand}/restore", response_model=t.BrandOut)
def restore_brand(store: StoreId, brand: BrandSlug, request: Request) -> t.BrandOut:
    return t.brand_out(catalog.brand_admin().set_deleted(store, _me(request), brand, False), _url)


app = build_app("Nozzly catalog: categories and brands", [router])
handler = http_handler(app)
