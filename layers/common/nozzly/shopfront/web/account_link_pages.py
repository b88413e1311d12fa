"""The links in cart reminder emails: stop the reminders, and put a reminded cart's lines back into a cart.

A GET only shows a button (mail clients and scanners fetch links in advance); the button POSTs the token with
the page's CSRF token to the same use cases as the JSON routes (functions/carts/app.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from nozzly.gateway_context import source_ip
from nozzly.kernel.domain.errors import DomainError
from nozzly.shopfront.domain.forms import text as field
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.account_common import Deps, StoreId, refusal, see_other
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop
from nozzly.shopfront.web.shopper import shopper_email, signed_in_shopper

if TYPE_CHECKING:
    from nozzly.sales.domain.carts import CartOf

router = APIRouter(prefix="/shop/{store}/account")
Token = Annotated[str, Query(max_length=200)]
TOKEN_LIMIT = 200
LINK_GONE = "This link is not known here, or it has expired. Please use the link in your latest email."


def _page(request: Request, front: Storefront, kind: str, status: int = 200, **context: Any) -> Response:
    title = "Stop cart reminders" if kind == "opt-out" else "Back to your cart"
    context = {"error": None, "done": False, "token": ""} | context
    meta = PageMeta(title=title, noindex=True)
    # The link's token sits in this page's form: no page it links to may see the address it came in.
    headers = {"referrer-policy": "no-referrer"}
    return render(request, front, "account_link.html", meta, status=status, headers=headers, kind=kind, **context)


@router.get("/reminders/opt-out")
def opt_out_page(store: StoreId, request: Request, shop: Deps, token: Token = "") -> Response:
    return _page(request, storefront(request, shop, store), "opt-out", token=token)


@router.post("/reminders/opt-out")
async def opt_out(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    token = field(form, "token", TOKEN_LIMIT)
    try:
        shop.reminder_optouts().opt_out(store, token)
    except DomainError as error:
        status, _ = refusal(error)
        return _page(request, front, "opt-out", status, error=LINK_GONE, token=token)
    return _page(request, front, "opt-out", done=True)


@router.get("/cart/recover")
def recover_page(store: StoreId, request: Request, shop: Deps, token: Token = "") -> Response:
    return _page(request, storefront(request, shop, store), "recover", token=token)


def _cart_here(request: Request, shop: Shop, store: str) -> CartOf | None:
    """The signed-in shopper's cart, or the guest's live session's; None: the recovery starts a session."""
    from nozzly.sales.domain.carts import CartOf, CartOwner  # the cart model: a recovery, not every page

    caller = signed_in_shopper(request, shop, store)
    if caller is not None:
        return CartOf(CartOwner.SHOPPER, caller.sub, email=shopper_email(caller) or None)
    guest = request.cookies.get(session.GUEST)
    if guest and shop.guest_sessions().verify(store, guest):
        return CartOf(CartOwner.GUEST, guest)
    return None


@router.post("/cart/recover")
async def recover(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    token = field(form, "token", TOKEN_LIMIT)
    whose = _cart_here(request, shop, store)
    try:
        recovered = shop.cart_recovery().recover(store, token, whose, source_ip(request))
    except DomainError as error:
        status, words = refusal(error)
        return _page(request, front, "recover", status, error=LINK_GONE if status == 404 else words, token=token)
    if whose is None and recovered.session_id:
        session.queue_cookie(request, session.GUEST, recovered.session_id, session.MONTH)
    session.queue_cookie(request, session.CART_COUNT, str(recovered.cart.cart.item_count), session.MONTH)
    return see_other(front.site.url("/cart"))
