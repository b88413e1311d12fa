"""Operators' catalog taxonomy: the category tree and the brands of one store.

The store comes from the path and the caller from the verified token; services.tenancy decides (catalog.read
for reads, catalog.write for writes). Products, variants and stock are CatalogAdmin's routes.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.catalog.contracts import catalog_taxonomy as t
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN

if TYPE_CHECKING:  # built on first use in _deps: adapters and services are not cold-start costs
    from nozzly.catalog.services.brands import BrandAdmin
    from nozzly.catalog.services.catalog_categories import CategoryAdmin

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


@cache
def _deps() -> tuple[CategoryAdmin, BrandAdmin]:
    # Imported on first use: boto3 and pydantic-settings are not cold-start costs.
    from nozzly.catalog.adapters.brands import BrandLogos, BrandsRepository
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.catalog.services.brands import BrandAdmin
    from nozzly.catalog.services.catalog_categories import CategoryAdmin
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(Settings)
    members, catalog = MembersRepository(s.stores_table), CatalogAdminRepository(s.catalog_table)
    return (
        CategoryAdmin(members, catalog, EventPublisher(s.event_bus_name)),
        BrandAdmin(members, BrandsRepository(s.catalog_table), catalog, BrandLogos(s.images_bucket)),
    )


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


# ---------------------------------------------------------------- categories
@router.get("/categories", response_model=t.AdminCategoryList)
def list_categories(store: StoreId, request: Request, deleted: ShowDeleted = False) -> t.AdminCategoryList:
    return t.AdminCategoryList(items=[t.category_out(x) for x in _deps()[0].list(store, _me(request), deleted=deleted)])


@router.post("/categories", status_code=201, response_model=t.AdminCategoryOut)
def create_category(store: StoreId, body: t.CategoryIn, request: Request) -> t.AdminCategoryOut:
    created = _deps()[0].create(store, _me(request), **body.model_dump())
    return t.category_out(created)


@router.patch("/categories/{category}", response_model=t.AdminCategoryOut)
def update_category(
    store: StoreId, category: CategorySlug, body: t.CategoryPatch, request: Request
) -> t.AdminCategoryOut:
    return t.category_out(_deps()[0].update(store, _me(request), category, body.changes(), body.version))


@router.delete("/categories/{category}", status_code=204)
def delete_category(store: StoreId, category: CategorySlug, request: Request) -> Response:
    _deps()[0].delete(store, _me(request), category)
    return Response(status_code=204)


@router.post("/categories/{category}/restore", response_model=t.AdminCategoryOut)
def restore_category(store: StoreId, category: CategorySlug, request: Request) -> t.AdminCategoryOut:
    return t.category_out(_deps()[0].restore(store, _me(request), category))


# ---------------------------------------------------------------- brands
@router.get("/brands", response_model=t.BrandList)
def list_brands(store: StoreId, request: Request, deleted: ShowDeleted = False) -> t.BrandList:
    return t.BrandList(items=[t.brand_out(b) for b in _deps()[1].list(store, _me(request), deleted=deleted)])


@router.post("/brands", status_code=201, response_model=t.BrandOut)
def create_brand(store: StoreId, body: t.BrandIn, request: Request) -> t.BrandOut:
    return t.brand_out(_deps()[1].create(store, _me(request), **body.model_dump()))


@router.get("/brands/{brand}", response_model=t.BrandOut)
def get_brand(store: StoreId, brand: BrandSlug, request: Request) -> t.BrandOut:
    return t.brand_out(_deps()[1].get(store, _me(request), brand))


@router.patch("/brands/{brand}", response_model=t.BrandOut)
def update_brand(store: StoreId, brand: BrandSlug, body: t.BrandPatch, request: Request) -> t.BrandOut:
    return t.brand_out(_deps()[1].update(store, _me(request), brand, body.changes(), body.version))


@router.delete("/brands/{brand}", status_code=204)
def delete_brand(store: StoreId, brand: BrandSlug, request: Request) -> Response:
    _deps()[1].set_deleted(store, _me(request), brand, True)
    return Response(status_code=204)


@router.post("/brands/{brand}/restore", response_model=t.BrandOut)
def restore_brand(store: StoreId, brand: BrandSlug, request: Request) -> t.BrandOut:
    return t.brand_out(_deps()[1].set_deleted(store, _me(request), brand, False))


app = build_app("Nozzly catalog: categories and brands", [router])
handler = http_handler(app)
