"""Listings: a category's products and all products, with filters, sorting and cursor paging (the same catalog read
as GET /stores/{store}/products)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse

from nozzly.catalog.contracts.storefront import product_summary_out
from nozzly.catalog.domain.catalog import Category
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.listing_filters import SORTS, parse_filters
from nozzly.shopfront.domain.seo import PageMeta, breadcrumbs, page_description
from nozzly.shopfront.web.catalog_views import card_of, category_trail, crumbs
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
CategorySlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
PAGE_SIZE = 24
MAX_CURSOR = 2048


@router.get("/categories/{category}", response_class=HTMLResponse)
def category_page(store: StoreId, category: CategorySlug, request: Request, shop: Deps) -> HTMLResponse:
    front = storefront(request, shop, store)
    categories = shop.catalog().list_categories(store)
    found = next((c for c in categories if c.slug == category), None)
    if found is None:
        raise NotFound(f"category {category!r} not found", field="category")
    trail = category_trail(categories, category)
    return _listing(request, shop, front, categories, found, trail=crumbs("Home", trail))


@router.get("/products", response_class=HTMLResponse)
def all_products(store: StoreId, request: Request, shop: Deps) -> HTMLResponse:
    front = storefront(request, shop, store)
    categories = shop.catalog().list_categories(store)
    return _listing(request, shop, front, categories, None, trail=crumbs("Home", [], ("All products", "/products")))


def _listing(
    request: Request,
    shop: Shop,
    front: Storefront,
    categories: list[Category],
    category: Category | None,
    *,
    trail: list[tuple[str, str]],
) -> HTMLResponse:
    from nozzly.catalog.adapters.catalog import Listing
    from nozzly.catalog.adapters.catalog_listing import Sort

    store = front.store.store_id
    brands = sorted((b for b in shop.brands().all(store) if not b.deleted), key=lambda b: b.name.lower())
    params = request.query_params
    filters = parse_filters(params, front.store.currency, frozenset(b.slug for b in brands))
    cursor = params.get("cursor") or None
    if cursor is not None and len(cursor) > MAX_CURSOR:
        raise InvalidInput("That page link is not valid.", field="cursor")
    listing = Listing(
        Sort(filters.sort),
        category.slug if category else None,
        filters.brand,
        filters.price_min,
        filters.price_max,
        filters.in_stock,
    )
    page = shop.catalog().list_products(store, listing, cursor=cursor, limit=PAGE_SIZE)
    url_for = shop.images().url
    cards = [card_of(product_summary_out(p, url_for)) for p in page.products]
    path = f"/categories/{category.slug}" if category else "/products"
    children = [c for c in categories if c.parent == (category.slug if category else None)]
    title = category.name if category else "All products"
    meta = PageMeta(
        title=title,
        description=page_description("", category.description if category else "", f"{title} at {front.store.name}."),
        canonical=front.site.absolute(path),
        # A filtered or later page is the same listing to a search engine: index the first, plain one only.
        noindex=filters.active or cursor is not None,
        json_ld=[breadcrumbs([(name, front.site.absolute(p)) for name, p in trail])],
    )
    return render(
        request,
        front,
        "category.html",
        meta,
        category=category,
        heading=title,
        path=path,
        trail=trail,
        children=children,
        products=cards,
        filters=filters,
        sorts=SORTS,
        brands=brands,
        cursor=cursor,
        next_url=front.site.url(path, **filters.query(), cursor=page.next_cursor) if page.next_cursor else None,
        first_url=front.site.url(path, **filters.query()),
    )
