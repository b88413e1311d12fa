"""A shopper's own data in a store: profile (PATCH /me), address book (/me/addresses), guest sessions.

The shopper routes answer as ShopperAuth's /me does: 404 for an unknown or deleted store, 401 for a token of
another store. POST /sessions is public.
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Depends, Path, Request, Response

from nozzly.accounts.contracts import auth
from nozzly.accounts.domain.accounts import Caller
from nozzly.api import build_app, http_handler
from nozzly.customers.contracts import customers
from nozzly.customers.domain.customers import ADDRESS_ID_PATTERN, ProfileChange
from nozzly.gateway_context import jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import accounts
from nozzly.wiring import customers as wired_customers

router = APIRouter(prefix="/stores/{store}", responses={s: {"model": ErrorResponse} for s in (401, 404, 409)})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
AddressId = Annotated[str, Path(pattern=ADDRESS_ID_PATTERN, description="The address's id.")]


def _shopper(store: StoreId, request: Request) -> Caller:
    """A dependency, so a wrong token is refused (401) before the body is validated (400)."""
    return wired_customers.shopper_account().caller(store, jwt_claims(request))


Shopper = Annotated[Caller, Depends(_shopper)]


@router.patch("/me", response_model=auth.ShopperMeOut)
def update_profile(store: StoreId, body: customers.ProfileIn, shopper: Shopper) -> auth.ShopperMeOut:
    change = ProfileChange.validated(body.name, body.phone)
    user = wired_customers.shopper_account().update_profile(store, shopper, change)
    return auth.shopper_me_out(user, store)


@router.get("/me/addresses", response_model=customers.AddressesOut)
def list_addresses(store: StoreId, shopper: Shopper) -> customers.AddressesOut:
    return customers.addresses_out(wired_customers.shopper_account().address_book(store, shopper))


@router.post("/me/addresses", status_code=201, response_model=customers.AddressOut)
def add_address(store: StoreId, body: customers.AddressIn, shopper: Shopper) -> customers.AddressOut:
    book, address = wired_customers.shopper_account().add_address(
        store, shopper, body.fields(), make_default=body.default_shipping
    )
    return customers.address_out(book, address)


@router.put("/me/addresses/{address}", response_model=customers.AddressOut)
def replace_address(
    store: StoreId, address: AddressId, body: customers.AddressIn, shopper: Shopper
) -> customers.AddressOut:
    book, kept = wired_customers.shopper_account().replace_address(
        store, shopper, address, body.fields(), make_default=body.default_shipping
    )
    return customers.address_out(book, kept)


@router.delete("/me/addresses/{address}", status_code=204)
def delete_address(store: StoreId, address: AddressId, shopper: Shopper) -> Response:
    wired_customers.shopper_account().delete_address(store, shopper, address)
    return Response(status_code=204)


@router.post(
    "/sessions", status_code=201, response_model=customers.GuestSessionOut, responses={429: {"model": ErrorResponse}}
)
def start_guest_session(store: StoreId, request: Request) -> customers.GuestSessionOut:
    session = accounts.guest_sessions().start(store, source_ip(request))
    return customers.GuestSessionOut(session_id=session.session_id, expires_at=session.expires_at)


app = build_app("Nozzly shopper account", [router])
handler = http_handler(app)
