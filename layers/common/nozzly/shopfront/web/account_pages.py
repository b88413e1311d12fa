"""The signed-in shopper's pages: the overview (profile and recent orders), order history, one order (cancel it
while it is not shipped, review what was delivered).

The same ShopperOrders, ShopperAccount and Reviews use cases, and the same contracts shaping what they return, as
the JSON routes (functions/shopper_orders, functions/shopper_account, functions/reviews).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from nozzly.accounts.domain.accounts import Caller
from nozzly.customers.domain.customers import ProfileChange
from nozzly.kernel.domain.errors import DomainError
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.account_text import STATUS_WORDS, status_words
from nozzly.shopfront.domain.forms import text as field
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.account_common import Deps, StoreId, claims_of, refusal, see_other, shopper_or_login
from nozzly.shopfront.web.rendering import Storefront, render
from nozzly.shopfront.web.shop import Shop

if TYPE_CHECKING:
    from nozzly.orders.contracts import orders as contracts

router = APIRouter(prefix="/shop/{store}/account")
OrderId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=64)]
Cursor = Annotated[str | None, Query(max_length=2048)]
RECENT_ORDERS = 5
ORDERS_PER_PAGE = 20


def _orders(shop: Shop, store: str, caller: Caller, cursor: str | None, limit: int) -> contracts.OrderPageOut:
    # The order models are imported by the pages that show orders, not by every account page's cold start.
    from nozzly.orders.contracts import orders as contracts

    page = shop.shopper_orders().list(store, caller, cursor=cursor, limit=limit)
    prefix = shop.order_number_prefix()(store)
    return contracts.OrderPageOut(
        items=[contracts.summary_out(o, prefix) for o in page.orders], next_cursor=page.next_cursor
    )


def _overview(
    request: Request, shop: Shop, front: Storefront, caller: Caller, status: int = 200, **context: Any
) -> Response:
    store = front.store.store_id
    me = shop.accounts(store).me(caller)
    orders = _orders(shop, store, caller, None, RECENT_ORDERS)
    context = {"error": None, "done": request.query_params.get("done", "")} | context
    meta = PageMeta(title="Your account", noindex=True)
    return render(
        request, front, "account.html", meta, status=status, me=me, orders=orders, words=status_words, **context
    )


@router.get("")
@router.get("/")
def overview(store: StoreId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    return _overview(request, shop, front, caller)


@router.post("/profile")
async def update_profile(store: StoreId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    form = await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    try:
        shop.shopper_account().update_profile(
            store, caller, ProfileChange.validated(field(form, "name"), field(form, "phone", 40) or None)
        )
    except DomainError as error:
        status, words = refusal(error)
        return _overview(request, shop, front, caller, status, error=words)
    return see_other(front.site.url("/account", done="profile"))


@router.get("/orders")
def order_history(store: StoreId, request: Request, shop: Deps, cursor: Cursor = None) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    orders = _orders(shop, store, caller, cursor, ORDERS_PER_PAGE)
    meta = PageMeta(title="Your orders", noindex=True)
    return render(request, front, "account_orders.html", meta, orders=orders, words=status_words, first=cursor is None)


def _order_page(
    request: Request, shop: Shop, front: Storefront, caller: Caller, order_id: str, *, status: int = 200, **context: Any
) -> Response:
    from nozzly.orders.contracts import orders as contracts
    from nozzly.orders.services.order_tracking import Followed

    store = front.store.store_id
    order = contracts.order_out(shop.shopper_orders().get(store, caller, order_id), shop.order_number_prefix()(store))
    context = {"error": None, "done": request.query_params.get("done", ""), "values": {}} | context
    meta = PageMeta(title=f"Order {order.display_number}", noindex=True)
    # The page follows its order live as the order's guest would, by its tracking token: the shopper's access
    # token stays in its HttpOnly cookie, out of reach of page scripts.
    paid = order.payment_state != "awaiting_payment"
    followed = Followed(order.id, str(order.status), paid, shop.order_tracking().token(store, order.id))
    context |= {"followed": followed, "live_words": STATUS_WORDS, "live_url": shop.live_url()}
    return render(request, front, "account_order.html", meta, status=status, order=order, words=status_words, **context)


@router.get("/orders/{order}")
def order_detail(store: StoreId, order: OrderId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    return _order_page(request, shop, front, caller, order)


@router.get("/orders/{order}/invoice")
def order_invoice(store: StoreId, order: OrderId, request: Request, shop: Deps) -> Response:
    """The order's invoice PDF (a short-lived link); the order's page saying why when there is none yet."""
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    try:
        found = shop.invoices().shoppers_invoice(store, caller.sub, order)
    except DomainError as error:
        status, words = refusal(error)
        return _order_page(request, shop, front, caller, order, status=status, error=words)
    return see_other(found.url)


@router.post("/orders/{order}/cancel")
async def cancel_order(store: StoreId, order: OrderId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    try:
        shop.shopper_orders().cancel(store, caller, order)
    except DomainError as error:
        status, words = refusal(error)
        return _order_page(request, shop, front, caller, order, status=status, error=words)
    return see_other(front.site.url(f"/account/orders/{order}", done="cancelled"))


@router.post("/orders/{order}/review")
async def review_product(store: StoreId, order: OrderId, request: Request, shop: Deps) -> Response:
    """A review of a product of the order, for moderation (the same use case as POST .../reviews)."""
    front, caller = shopper_or_login(request, shop, store)
    form = await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    product = field(form, "product", 80)
    raw_rating = field(form, "rating", 2)
    values = {
        "product": product,
        "rating": raw_rating,
        "title": field(form, "title"),
        "text": field(form, "text", 5000),
    }
    from nozzly.reviews.contracts import reviews as review_contracts  # only a review's form needs it

    try:
        body = review_contracts.ReviewIn(
            rating=int(raw_rating) if raw_rating.isdigit() else 0, title=values["title"] or None, text=values["text"]
        )
        shop.reviews().submit(store, claims_of(caller), product, body.draft())
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        return _order_page(request, shop, front, caller, order, status=status, error=words, values=values)
    return see_other(front.site.url(f"/account/orders/{order}", done="reviewed"))
