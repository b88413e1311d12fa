"""Checkout: the address (step 1), the shipping method and payment (step 2), then the checkout's status page,
which takes the card payment (Stripe), refreshes itself while the saga works, and becomes the confirmation.

Started through sales' CheckoutService as functions/checkout/app.py starts it; the idempotency key is a hidden
field made when step 2 is rendered, so a double submit of one form starts one checkout.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nozzly.kernel.domain.errors import DomainError
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.sales.domain.carts import CartOf
from nozzly.shopfront.domain import checkout_form, forms
from nozzly.shopfront.domain.account_text import STATUS_WORDS
from nozzly.shopfront.domain.checkout_details import Details, details_of
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.cart_owner import counted, shopper_cart
from nozzly.shopfront.web.cart_pages import status_of
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
CheckoutId = Annotated[str, Path(pattern=r"^[0-9a-f]{8,64}$")]
Deps = Annotated[Shop, Depends(shop_of)]
REFRESH_SECONDS = 2
SETTLING = (10, 0.5)  # a declined card fails its checkout through a webhook: wait up to 10 x 0.5 s for it


def _cart_or_none(request: Request, shop: Shop, store_id: str) -> tuple[CartOf | None, str]:
    """The cart to buy (None when there is nothing to buy) and a signed-in shopper's email."""
    whose, email = shopper_cart(request, shop, store_id)
    if whose is None or not shop.carts().view(store_id, whose).cart.lines:
        return None, email or ""
    return whose, email or ""


def _payments(shop: Shop, store_id: str) -> tuple[str, ...]:
    from nozzly.payments.domain.payouts import PayoutState, payout_state

    pay = shop.payment_config()
    return checkout_form.offered_payments(
        stripe_ready=payout_state(shop.payout_accounts().get(store_id)) is PayoutState.READY,
        stripe_script=bool(pay.get("stripe_js_url") and pay.get("stripe_publishable_key")),
        square_script=bool(pay.get("square_js_url") and pay.get("square_application_id")),
    )


def _address_step(
    request: Request, front: Storefront, details: Details, problems: dict[str, str], status: int = 200
) -> HTMLResponse:
    meta = PageMeta(title="Checkout", noindex=True)
    return render(request, front, "checkout.html", meta, status=status, details=details, problems=problems)


def _payment_step(
    request: Request,
    shop: Shop,
    front: Storefront,
    whose: CartOf,
    details: Details,
    *,
    error: str = "",
    status: int = 200,
    chosen: tuple[str, str] = ("", ""),
) -> HTMLResponse:
    from nozzly.sales.contracts.carts import shipping_options_out

    store_id = front.store.store_id
    to = details.destination()
    quote = shipping_options_out(to, shop.carts().shipping_options(store_id, whose, to))
    if not quote.ships:
        problem = {"ship_country": f"Sorry, we do not ship to {to.country}. Please choose another address."}
        return _address_step(request, front, details, problem, 400)
    payments = _payments(shop, store_id)
    method = chosen[0] if chosen[0] in {o.method for o in quote.options} else quote.options[0].method
    payment = chosen[1] if chosen[1] in payments else payments[0]
    return render(
        request,
        front,
        "checkout_pay.html",
        PageMeta(title="Checkout: shipping and payment", noindex=True),
        status=status,
        details=details,
        quote=quote,
        payments=payments,
        labels=checkout_form.PAYMENT_LABELS,
        method=method,
        payment=payment,
        key=secrets.token_urlsafe(24),
        error=error,
        pay=shop.payment_config(),
    )


@router.get("/checkout", response_class=HTMLResponse)
@router.get("/checkout/", response_class=HTMLResponse)
def checkout_page(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    whose, email = _cart_or_none(request, shop, store)
    if whose is None:
        return RedirectResponse(front.site.url("/cart"), status_code=303)
    return _address_step(request, front, Details({}, email), {})


@router.post("/checkout", response_class=HTMLResponse)
async def to_payment(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    whose, _ = _cart_or_none(request, shop, store)
    if whose is None:
        return RedirectResponse(front.site.url("/cart"), status_code=303)
    details = Details(form)
    problems = details.problems()
    if problems:
        return _address_step(request, front, details, problems, 400)
    return _payment_step(request, shop, front, whose, details)


@router.post("/checkout/place", response_class=HTMLResponse)
async def place(store: StoreId, request: Request, shop: Deps) -> Response:
    from nozzly.sales.domain.checkout import CheckoutInProgress, PaymentMethod
    from nozzly.sales.domain.checkout_start import CheckoutRequest

    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    whose, _ = shopper_cart(request, shop, store)
    if whose is None:
        return RedirectResponse(front.site.url("/cart"), status_code=303)
    details = Details(form)
    problems = details.problems()
    if problems:
        return _address_step(request, front, details, problems, 400)
    method, payment = forms.text(form, "shipping_method", 40), forms.text(form, "payment_method", 40)
    key = forms.text(form, "key", 100)
    if payment not in _payments(shop, store) or len(key) < 8:
        chosen = (method, payment)
        message = "Please choose how you would like to pay."
        return _payment_step(request, shop, front, whose, details, error=message, status=400, chosen=chosen)
    try:
        checkout = shop.checkout().start(
            store,
            whose,
            key,
            CheckoutRequest(
                email=details.email,
                address=details.fields(details.ship),
                shipping_method=method,
                payment_method=PaymentMethod(payment),
                source_token=forms.text(form, "source_token", 512) or None,
                return_url=None,
                billing=None if details.billing_same else details.fields(details.bill),
            ),
        )
    except CheckoutInProgress as busy:
        live = busy.location.rsplit("/", 1)[-1]
        return RedirectResponse(front.site.url(f"/checkout/{live}"), status_code=303)
    except DomainError as refused:
        message = forms.sentence(refused.message)
        return _payment_step(
            request, shop, front, whose, details, error=message, status=status_of(refused), chosen=(method, payment)
        )
    return RedirectResponse(front.site.url(f"/checkout/{checkout.checkout_id}"), status_code=303)


@router.get("/checkout/{checkout_id}", response_class=HTMLResponse)
def checkout_status(store: StoreId, checkout_id: CheckoutId, request: Request, shop: Deps) -> HTMLResponse:
    from nozzly.messaging.emails.branding import brand, order_number
    from nozzly.sales.contracts.checkout import checkout_out

    front = storefront(request, shop, store)
    found = shop.checkout().get(store, checkout_id)
    out = checkout_out(found)
    secret = out.payment.client_secret if out.payment else None
    view = checkout_form.status_view(out.status, out.payment_method, out.reason, bool(secret))
    if view.kind == "pay" and request.query_params.get("paid"):
        view = checkout_form.status_view("awaiting_payment", "", None, False)  # the card was taken: wait for it
    followed = None
    if view.kind == "placed":
        front = counted(request, front, 0)  # the saga cleared the cart
        # This page is the guest's order page (the checkout's id is the order's): it shows where the order
        # stands and follows it live with the order's tracking token.
        followed = shop.order_tracking().followed(store, checkout_id)
    number = order_number(out.order_number, brand(front.store, front.branding)) if out.order_number else None
    return render(
        request,
        front,
        "checkout_status.html",
        PageMeta(title=view.title, noindex=True),
        checkout=out,
        view=view,
        number=number,
        email=found.email,
        address=found.address,
        secret=secret,
        pay=shop.payment_config(),
        refresh=REFRESH_SECONDS if view.kind == "waiting" else None,
        done_url=front.site.url(f"/checkout/{checkout_id}", paid=1),
        followed=followed,
        words=STATUS_WORDS,
        live_url=shop.live_url(),
    )


@router.post("/checkout/{checkout_id}/retry", response_class=HTMLResponse)
async def try_again(store: StoreId, checkout_id: CheckoutId, request: Request, shop: Deps) -> Response:
    """After a failed payment: the shipping and payment step again, filled in from the failed checkout, with a new
    idempotency key (a new checkout of the same cart, which the failure released)."""
    front = storefront(request, shop, store)
    await session.posted_form(request)
    found = shop.checkout().get(store, checkout_id)
    for _ in range(SETTLING[0]):
        if found.status.is_final:
            break
        await asyncio.sleep(SETTLING[1])
        found = shop.checkout().get(store, checkout_id)
    whose, _ = _cart_or_none(request, shop, store)
    if whose is None or (whose.owner, whose.owner_id) != (found.cart.owner, found.cart.owner_id):
        return RedirectResponse(front.site.url("/checkout"), status_code=303)
    if not found.status.is_final:
        return RedirectResponse(front.site.url(f"/checkout/{checkout_id}"), status_code=303)
    chosen = (found.shipping.method_id, found.payment_method.value)
    return _payment_step(request, shop, front, whose, details_of(found), chosen=chosen)
