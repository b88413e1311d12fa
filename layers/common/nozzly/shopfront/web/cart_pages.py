"""The cart page and its forms: add, change a quantity, remove, a coupon code, the shipping and tax estimate.

Every change goes through sales' CartService (as functions/carts/app.py does) and ends in a 303 to the cart; a
change the service refuses shows the cart again with the reason (4xx), having changed nothing.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nozzly.kernel.domain.errors import DomainError, InvalidInput
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.sales.contracts.carts import CartOut, ShippingOptionsOut, cart_out, shipping_options_out
from nozzly.sales.domain.cart_limits import MAX_QUANTITY
from nozzly.sales.domain.carts import CartOf, CartSnapshot
from nozzly.shopfront.domain import forms
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.cart_owner import cart_to_change, counted, remember_count, shopper_cart
from nozzly.shopfront.web.errors import STATUS
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of
from nozzly.stores.domain.zones import Destination

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
ItemId = Annotated[str, Path(max_length=200)]
Deps = Annotated[Shop, Depends(shop_of)]
COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def status_of(error: DomainError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def line_images(shop: Shop, store_id: str, cart: CartOut) -> dict[str, Any]:
    """Each product's first picture, by slug: one batch read of the cart's products."""
    from nozzly.catalog.contracts.storefront import product_summary_out

    slugs = {line.product for line in cart.items}
    if not slugs:
        return {}
    products = shop.catalog().products_by_slug(store_id, slugs)
    return {slug: product_summary_out(p, shop.images().url).image for slug, p in products.items()}


def _estimate(shop: Shop, store_id: str, whose: CartOf, request: Request) -> tuple[ShippingOptionsOut | None, str]:
    """The shipping options for the address the estimator's GET form names, or why there are none."""
    country = request.query_params.get("country", "").strip()
    if not country:
        return None, ""
    if not COUNTRY.match(country):
        return None, "Please enter the country as its two-letter code, like DE or US."
    postal = request.query_params.get("postal_code", "").strip()[:20] or None
    to = Destination(country.upper(), None, postal)
    return shipping_options_out(to, shop.carts().shipping_options(store_id, whose, to)), ""


def cart_page(
    request: Request,
    shop: Shop,
    front: Storefront,
    *,
    error: str = "",
    status: int = 200,
    snapshot: CartSnapshot | None = None,
) -> HTMLResponse:
    whose, _ = shopper_cart(request, shop, front.store.store_id)
    store_id = front.store.store_id
    cart: CartOut | None = None
    estimate, estimate_error = None, ""
    if whose is not None:
        snapshot = snapshot or shop.carts().view(store_id, whose)
        front = counted(request, front, snapshot.cart.item_count)
        cart = cart_out(snapshot)
        if cart.items:
            try:
                estimate, estimate_error = _estimate(shop, store_id, whose, request)
            except DomainError as refused:
                estimate_error = forms.sentence(refused.message)
    elif session.cart_count(request):
        front = counted(request, front, 0)
    meta = PageMeta(title="Your cart", noindex=True)
    return render(
        request,
        front,
        "cart.html",
        meta,
        status=status if not estimate_error or status != 200 else 400,
        cart=cart,
        images=line_images(shop, store_id, cart) if cart else {},
        error=error,
        estimate=estimate,
        estimate_error=estimate_error,
        country=request.query_params.get("country", front.store.country),
        postal_code=request.query_params.get("postal_code", ""),
        max_quantity=MAX_QUANTITY,
    )


def _to_cart(front: Storefront) -> Response:
    return RedirectResponse(front.site.url("/cart"), status_code=303)


@router.get("/cart", response_class=HTMLResponse)
@router.get("/cart/", response_class=HTMLResponse)
def view_cart(store: StoreId, request: Request, shop: Deps) -> HTMLResponse:
    return cart_page(request, shop, storefront(request, shop, store))


@router.post("/cart/items")
async def add_item(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    product = forms.text(form, "product", 120)
    try:
        if not re.fullmatch(SLUG_PATTERN.strip("^$"), product):
            raise InvalidInput("That product could not be found.", field="product")
        quantity = forms.quantity(form, minimum=1, maximum=MAX_QUANTITY)
        whose = cart_to_change(request, shop, store)
        snapshot = shop.carts().add(store, whose, product, forms.text(form, "variant", 64) or None, quantity)
    except DomainError as refused:
        return cart_page(request, shop, front, error=forms.sentence(refused.message), status=status_of(refused))
    remember_count(request, snapshot)
    return _to_cart(front)


@router.post("/cart/items/{item}")
async def set_quantity(store: StoreId, item: ItemId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    try:
        quantity = forms.quantity(form, minimum=0, maximum=MAX_QUANTITY)
        snapshot = shop.carts().set_quantity(store, cart_to_change(request, shop, store), item, quantity)
    except DomainError as refused:
        return cart_page(request, shop, front, error=forms.sentence(refused.message), status=status_of(refused))
    remember_count(request, snapshot)
    return _to_cart(front)


@router.post("/cart/items/{item}/remove")
async def remove_item(store: StoreId, item: ItemId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    await session.posted_form(request)
    snapshot = shop.carts().remove(store, cart_to_change(request, shop, store), item)
    remember_count(request, snapshot)
    return _to_cart(front)


@router.post("/cart/coupon")
async def apply_coupon(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    code = forms.text(form, "code", 40)
    try:
        if not code:
            raise InvalidInput("Please enter a discount code.", field="code")
        shop.carts().apply_coupon(store, cart_to_change(request, shop, store), code)
    except DomainError as refused:
        why = forms.sentence(refused.message)
        return cart_page(request, shop, front, error=f"The code “{code}” cannot be used. {why}", status=400)
    return _to_cart(front)


@router.post("/cart/coupon/remove")
async def remove_coupon(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    await session.posted_form(request)
    shop.carts().remove_coupon(store, cart_to_change(request, shop, store))
    return _to_cart(front)
