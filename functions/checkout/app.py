"""Checkout: a guest's (POST /stores/{store}/checkout, the guest session in the body) or a shopper's
(POST /stores/{store}/me/checkout, ShopperJwt), each with an Idempotency-Key header; and its progress
(GET /stores/{store}/checkouts/{checkout}, public: the id is unguessable). The saga does the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Depends, Header, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.sales.contracts import checkout as contracts
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.wiring import orders, sales

if TYPE_CHECKING:
    from nozzly.sales.domain.checkout_start import CheckoutRequest

errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (401, 404, 409)}
router = APIRouter(prefix="/stores/{store}", tags=["checkout"], responses=errors)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        description="Any unique string per checkout attempt; repeating it returns the same checkout.",
    ),
]


def _request(body: contracts.CheckoutIn) -> CheckoutRequest:
    from nozzly.sales.domain.checkout_start import CheckoutRequest

    return CheckoutRequest(
        email=body.email,
        address=body.shipping_address.fields(),
        shipping_method=body.shipping_method,
        payment_method=contracts.payment_method(body.payment_method),
        source_token=body.source_token,
        return_url=body.return_url,
        billing=body.billing_address.fields() if body.billing_address else None,
    )


def _answer(store: str, whose: CartOf, key: str, body: contracts.CheckoutIn, response: Response) -> Any:
    checkout = sales.checkout_service().start(store, whose, key, _request(body))
    out = contracts.checkout_out(checkout)
    response.headers["location"] = out.status_url
    return out


@router.post("/checkout", status_code=202, response_model=contracts.CheckoutOut)
def guest_checkout(
    store: StoreId, body: contracts.GuestCheckoutIn, key: IdempotencyKey, response: Response
) -> contracts.CheckoutOut:
    """Check out a guest session's cart. 202: poll status_url until awaiting_payment, placed or failed."""
    out: contracts.CheckoutOut = _answer(store, CartOf(CartOwner.GUEST, body.session_id), key, body, response)
    return out


def shopper_cart(store: StoreId, request: Request) -> CartOf:
    """A dependency, so a token of another store is refused (401) before the body is judged."""
    caller = caller_from_claims(jwt_claims(request), Realm(store_id=store))
    return CartOf(CartOwner.SHOPPER, caller.sub)


Shopper = Annotated[CartOf, Depends(shopper_cart)]


@router.post("/me/checkout", status_code=202, response_model=contracts.CheckoutOut)
def shopper_checkout(
    store: StoreId, cart: Shopper, body: contracts.CheckoutIn, key: IdempotencyKey, response: Response
) -> contracts.CheckoutOut:
    out: contracts.CheckoutOut = _answer(store, cart, key, body, response)
    return out


@router.get("/checkouts/{checkout}", response_model=contracts.CheckoutOut)
def get_checkout(
    store: StoreId, checkout: Annotated[str, Path(max_length=64)], response: Response
) -> contracts.CheckoutOut:
    response.headers["cache-control"] = "no-store"  # polled while it changes
    out = contracts.checkout_out(sales.checkout_service().get(store, checkout))
    if out.status != "placed":
        return out
    # The placed checkout's id is its order's: its guest may follow the order live from now on.
    return out.model_copy(update={"tracking_token": orders.order_tracking().token(store, out.id)})


app = build_app("Nozzly checkout", [router])
handler = http_handler(app)
