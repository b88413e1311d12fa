"""The product page: gallery, price, variants and stock, the add-to-cart form, reviews, related products, and the
back-in-stock signup for a variant that is sold out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from nozzly.catalog.contracts.storefront import product_out, product_summary_out
from nozzly.catalog.domain.related import rank_related
from nozzly.gateway_context import source_ip
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.reviews.contracts.reviews import ProductReviewsOut, product_reviews_out
from nozzly.sales.domain.cart_limits import MAX_QUANTITY
from nozzly.shopfront.domain.gallery import GALLERY_SIZES
from nozzly.shopfront.domain.seo import PageMeta, breadcrumbs, page_description, page_title, with_rating
from nozzly.shopfront.web import session
from nozzly.shopfront.web.catalog_views import card_of, category_trail, crumbs, picture_of
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
RELATED_CANDIDATES = 24  # as the JSON related route reads
RELATED_SHOWN = 4
REVIEWS_SHOWN = 10
MAX_CURSOR = 2048


@router.get("/products/{product}", response_class=HTMLResponse)
def product_page(store: StoreId, product: ProductSlug, request: Request, shop: Deps) -> HTMLResponse:
    return _page(request, shop, storefront(request, shop, store), product)


@router.post("/products/{product}/back-in-stock", response_class=HTMLResponse)
async def back_in_stock(store: StoreId, product: ProductSlug, request: Request, shop: Deps) -> HTMLResponse:
    """The same signup the JSON route makes; the answer is the product page saying what happened."""
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    variant = str(form.get("variant") or "")
    email = str(form.get("email") or "").strip()
    from nozzly.catalog.contracts.stock_alerts import BackInStockIn  # the signup's model, not every page's

    try:
        body = BackInStockIn(email=email)
    except ValidationError:
        return _page(
            request,
            shop,
            front,
            product,
            status=400,
            signup_error="Please enter a valid email address.",
            email=email,
            variant=variant,
        )
    try:
        shop.back_in_stock().subscribe(store, product, variant, body.email, source_ip(request))
    except Conflict:
        return _page(
            request,
            shop,
            front,
            product,
            status=409,
            variant=variant,
            signup_error="Good news: this option is in stock again. You can add it to your cart now.",
        )
    note = f"Thanks! We will email {body.email} once it is back in stock."
    return _page(request, shop, front, product, signup_done=note, variant=variant)


def _page(
    request: Request, shop: Shop, front: Storefront, slug: str, *, status: int = 200, **form: Any
) -> HTMLResponse:
    store = front.store.store_id
    catalog, url_for = shop.catalog(), shop.images().url
    found = catalog.get_product(store, slug)
    if not found.is_published:
        raise NotFound(f"product {slug!r} not found", field="product")
    path = f"/products/{slug}"
    canonical = front.site.absolute(path)
    detail = product_out(found, url_for, url=canonical, related_url=front.site.url(path))
    reviews = product_reviews_out(
        shop.reviews().for_storefront(store, slug, cursor=None, limit=REVIEWS_SHOWN), first_page=True
    )
    later = request.query_params.get("reviews") if request.method == "GET" else None
    if later:  # an older page of reviews: its own read; the summary stays page one's
        if len(later) > MAX_CURSOR:
            raise InvalidInput("That page link is not valid.", field="reviews")
        older = shop.reviews().for_storefront(store, slug, cursor=later, limit=REVIEWS_SHOWN)
        shaped = product_reviews_out(older, first_page=False)
        reviews = ProductReviewsOut(summary=reviews.summary, items=shaped.items, next_cursor=shaped.next_cursor)
    try:
        candidates = catalog.category_page(store, found.category, RELATED_CANDIDATES)
    except NotFound:  # its category was deleted meanwhile: the product still sells
        candidates = []
    related = [
        card_of(product_summary_out(p, url_for)) for p in rank_related(candidates, slug, found.tags, RELATED_SHOWN)
    ]
    trail = crumbs("Home", category_trail(catalog.list_categories(store), found.category), (found.title, path))
    summary = reviews.summary
    meta = PageMeta(
        title=page_title(found.seo_title, found.title),
        description=page_description(found.seo_description, found.description, f"{found.title} at {front.store.name}."),
        canonical=canonical,
        noindex=bool(later),  # an older page of reviews is the same product page to a search engine
        image=detail.images[0].url if detail.images else None,
        og_type="product",
        json_ld=[
            with_rating(detail.json_ld, summary.count if summary else 0, summary.average if summary else None),
            breadcrumbs([(name, front.site.absolute(p)) for name, p in trail]),
        ],
    )
    buyable = [v for v in detail.variants if v.stock.available > 0]
    chosen = form.get("variant") if any(v.id == form.get("variant") for v in buyable) else None
    return render(
        request,
        front,
        "product.html",
        meta,
        status=status,
        product=detail,
        pictures=[picture_of(i, detail.title) for i in detail.images],
        sizes=GALLERY_SIZES,
        chosen=chosen or (buyable[0].id if buyable else None),
        max_quantity=MAX_QUANTITY,
        sold_out=[v for v in detail.variants if v.stock.available <= 0],
        reviews=reviews,
        older_reviews=front.site.url(path, reviews=reviews.next_cursor) + "#reviews" if reviews.next_cursor else None,
        newest_reviews=front.site.url(path) + "#reviews" if later else None,
        related=related,
        trail=trail,
        signup_error=form.get("signup_error"),
        signup_done=form.get("signup_done"),
        signup_email=form.get("email", ""),
        signup_variant=form.get("variant"),
    )
