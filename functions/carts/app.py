"""Carts: a guest's under /stores/{store}/carts/{session} (public: the session id is the secret) and a shopper's
under /stores/{store}/me/cart (ShopperJwt). The same operations on both; a shopper merges a guest cart in.
A reminder email's opt-out link ends up at POST /stores/{store}/reminders/opt-out, and its cart link at
POST /stores/{store}/carts/recover (public: their tokens are the secrets).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.sales.contracts import cart_recovery as recovery_contracts
from nozzly.sales.contracts import carts as contracts
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.stores.domain.zones import Destination
from nozzly.wiring import sales

errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (401, 404, 409)}
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
SessionId = Annotated[str, Path(max_length=64, description="The guest session id from POST /stores/{store}/sessions.")]
COUNTRY = r"^[A-Za-z]{2}$"
ItemId = Annotated[str, Path(max_length=200, description="The line's id: '{product}:{variant}'.")]


def _shopper(store: str, request: Request) -> CartOf:
    caller = caller_from_claims(jwt_claims(request), Realm(store_id=store))
    # A shopper's username is "<store>#<email>": their reminders go to the account's address.
    return CartOf(CartOwner.SHOPPER, caller.sub, email=caller.username.partition("#")[2] or None)


def guest_cart(store: StoreId, session: SessionId) -> CartOf:
    return CartOf(CartOwner.GUEST, session)


def shopper_cart(store: StoreId, request: Request) -> CartOf:
    return _shopper(store, request)


Out = contracts.CartOut


def _routes(router: APIRouter, prefix: str, whose: Callable[..., CartOf]) -> None:
    """The cart operations under `prefix`; `whose` (a dependency) names the cart from the request."""
    owner = Depends(whose)

    @router.get(prefix, response_model=Out)
    def get_cart(store: StoreId, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().view(store, cart))

    @router.post(f"{prefix}/items", response_model=Out)
    def add_item(store: StoreId, body: contracts.AddItemIn, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().add(store, cart, body.product, body.variant_id, body.quantity))

    @router.patch(f"{prefix}/items/{{item}}", response_model=Out)
    def set_quantity(store: StoreId, item: ItemId, body: contracts.SetQuantityIn, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().set_quantity(store, cart, item, body.quantity))

    @router.delete(f"{prefix}/items/{{item}}", response_model=Out)
    def remove_item(store: StoreId, item: ItemId, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().remove(store, cart, item))

    @router.delete(prefix, response_model=Out)
    def clear_cart(store: StoreId, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().clear(store, cart))

    @router.put(f"{prefix}/coupon", response_model=Out)
    def apply_coupon(store: StoreId, body: contracts.CartCouponIn, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().apply_coupon(store, cart, body.code))

    @router.delete(f"{prefix}/coupon", response_model=Out)
    def remove_coupon(store: StoreId, cart: CartOf = owner) -> Out:
        return contracts.cart_out(sales.cart_service().remove_coupon(store, cart))

    @router.get(f"{prefix}/shipping-options", response_model=contracts.ShippingOptionsOut)
    def shipping_options(
        store: StoreId,
        country: Annotated[str, Query(pattern=COUNTRY, description="ISO 3166-1 alpha-2 country code.")],
        region: Annotated[str | None, Query(max_length=40, description="State or province code (US: CA).")] = None,
        postal_code: Annotated[str | None, Query(max_length=20)] = None,
        cart: CartOf = owner,
    ) -> contracts.ShippingOptionsOut:
        """The shipping methods the store offers this cart at this address, each with the cart's totals (tax
        for the destination included); checkout accepts only these. No option: the store does not ship there."""
        to = Destination(country.upper(), region, postal_code)
        return contracts.shipping_options_out(to, sales.cart_service().shipping_options(store, cart, to))


guest = APIRouter(
    prefix="/stores/{store}", generate_unique_id_function=operation_ids("guest"), tags=["guest cart"], responses=errors
)
shopper = APIRouter(
    prefix="/stores/{store}",
    generate_unique_id_function=operation_ids("shopper"),
    tags=["shopper cart"],
    responses=errors,
)
_routes(guest, "/carts/{session}", guest_cart)
_routes(shopper, "/me/cart", shopper_cart)


@shopper.post("/me/cart/merge", response_model=Out)
def merge_guest_cart(store: StoreId, body: contracts.MergeIn, cart: Annotated[CartOf, Depends(shopper_cart)]) -> Out:
    """After logging in: the guest session's cart joins the shopper's (quantities add up, capped by stock)."""
    return contracts.cart_out(sales.cart_service().merge(store, cart, body.session_id))


@guest.put("/carts/{session}/email", response_model=Out)
def set_guest_email(store: StoreId, body: contracts.EmailIn, cart: Annotated[CartOf, Depends(guest_cart)]) -> Out:
    """Where this cart's reminders go if it is left with items in it (1 h, 24 h and 72 h later, one each)."""
    return contracts.cart_out(sales.cart_service().set_email(store, cart, body.email))


reminders = APIRouter(prefix="/stores/{store}", tags=["cart reminders"], responses=errors)

# What the email's link opens when the store has no storefront page of its own: it changes nothing until the
# shopper presses the button (mail clients and link scanners fetch links in advance), then POSTs the link's token.
# The token is read from the address in the browser, never written into the page.
OPT_OUT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Stop cart reminders</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222">
<h1 style="font-size:1.4em">Stop cart reminders?</h1>
<p id="say">You will get no more emails from this shop about carts you left.</p>
<button id="go" type="button" style="font-size:1em;padding:.6em 1.2em">Stop cart reminders</button>
<script>
document.getElementById("go").onclick = async () => {
  const token = new URLSearchParams(location.search).get("token") || "";
  const answer = await fetch(location.pathname, {
    method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({token}),
  });
  document.getElementById("say").textContent = answer.ok
    ? "Done: you will get no more cart reminders from this shop."
    : "This link is not known here. Please use the link in your latest reminder email.";
  document.getElementById("go").remove();
};
</script>
</body></html>
"""
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@reminders.get("/reminders/opt-out", response_class=HTMLResponse)
def opt_out_page(store: StoreId) -> HTMLResponse:
    """The page a reminder's opt-out link opens (stores without a storefront): a button that POSTs the token."""
    return HTMLResponse(OPT_OUT_PAGE, headers=PAGE_HEADERS)


@reminders.post("/reminders/opt-out", response_model=contracts.OptOutOut)
def opt_out_of_reminders(store: StoreId, body: contracts.OptOutIn) -> contracts.OptOutOut:
    """One click in a reminder email: its address gets no more cart reminders from this store. Only a POST opts
    out (mail clients fetch links in advance): the storefront's opt-out page, or the GET page above, sends the
    link's token here. Repeating it is 200 again; a token this store never sent is 404."""
    sales.reminder_optouts().opt_out(store, body.token)
    return contracts.OptOutOut(opted_out=True)


recovery = APIRouter(
    prefix="/stores/{store}", tags=["cart recovery"], responses=errors | {429: {"model": ErrorResponse}}
)

# What a reminder's cart link opens when the store has no storefront page of its own: nothing happens until the
# button is pressed (a GET must not start a session or change a cart), then the link's token is POSTed without a
# session, so the lines land in a new guest session's cart, whose id the page shows.
RECOVER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Back to your cart</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222">
<h1 style="font-size:1.4em">Back to your cart</h1>
<p id="say">Put the items of your reminder back into a cart.</p>
<button id="go" type="button" style="font-size:1em;padding:.6em 1.2em">Restore my cart</button>
<pre id="out" style="white-space:pre-wrap"></pre>
<script>
document.getElementById("go").onclick = async () => {
  const token = new URLSearchParams(location.search).get("token") || "";
  const answer = await fetch(location.pathname, {
    method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({token}),
  });
  const body = await answer.json();
  document.getElementById("say").textContent = answer.ok
    ? "Restored into guest session " + body.session_id + " (" + body.cart.item_count + " items)."
    : body.error.message;
  document.getElementById("out").textContent = answer.ok ? JSON.stringify(body.not_restored, null, 1) : "";
  document.getElementById("go").remove();
};
</script>
</body></html>
"""


@recovery.get("/carts/recover", response_class=HTMLResponse)
def recover_page(store: StoreId) -> HTMLResponse:
    """The page a reminder's cart link opens (stores without a storefront): a button that POSTs the token."""
    return HTMLResponse(RECOVER_PAGE, headers=PAGE_HEADERS)


@recovery.post("/carts/recover", response_model=recovery_contracts.RecoveredOut)
def recover_guest_cart(
    store: StoreId, body: recovery_contracts.GuestRecoverIn, request: Request
) -> recovery_contracts.RecoveredOut:
    """A reminder email's cart link: its lines, judged again (today's prices and stock), go into the guest
    session's cart, or a new session's when none is named. Lines already in the cart are not added twice."""
    whose = CartOf(CartOwner.GUEST, body.session_id) if body.session_id else None
    recovered = sales.cart_recovery().recover(store, body.token, whose, source_ip(request))
    return recovery_contracts.recovered_out(recovered)


@shopper.post("/me/cart/recover", response_model=recovery_contracts.RecoveredOut)
def recover_shopper_cart(
    store: StoreId,
    body: recovery_contracts.RecoverIn,
    cart: Annotated[CartOf, Depends(shopper_cart)],
    request: Request,
) -> recovery_contracts.RecoveredOut:
    """A reminder email's cart link, followed by a logged-in shopper: its lines go into their cart."""
    recovered = sales.cart_recovery().recover(store, body.token, cart, source_ip(request))
    return recovery_contracts.recovered_out(recovered)


# The recovery routes first: /carts/recover is more specific than the guest cart's /carts/{session}.
app = build_app("Nozzly carts", [recovery, guest, shopper, reminders])
handler = http_handler(app)
