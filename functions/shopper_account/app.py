"""A shopper's own data in a store: profile (PATCH /me), address book (/me/addresses), guest sessions.

The shopper routes answer as ShopperAuth's /me does: 404 for an unknown or deleted store, 401 for a token of
another store. POST /sessions is public.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from nozzly.accounts.contracts import auth
from nozzly.accounts.domain.accounts import Caller
from nozzly.api import build_app, http_handler
from nozzly.customers.contracts import customers
from nozzly.customers.domain.customers import ADDRESS_ID_PATTERN, ProfileChange
from nozzly.gateway_context import jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN

if TYPE_CHECKING:  # built on first use in _deps: adapters and services are not cold-start costs
    from nozzly.accounts.services.guest_sessions import GuestSessions
    from nozzly.customers.services.shopper_account import ShopperAccount

router = APIRouter(prefix="/stores/{store}", responses={s: {"model": ErrorResponse} for s in (401, 404, 409)})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
AddressId = Annotated[str, Path(pattern=ADDRESS_ID_PATTERN, description="The address's id.")]


@cache
def _deps() -> tuple[ShopperAccount, GuestSessions]:
    from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.accounts.services.guest_sessions import GuestSessions
    from nozzly.customers.adapters.customers import AddressBookRepository
    from nozzly.customers.services.shopper_account import ShopperAccount
    from nozzly.settings import ShopperAccountSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ShopperAccountSettings)
    stores = StoresRepository(s.stores_table)
    account = ShopperAccount(stores, UserDirectory(s.user_pool_id), AddressBookRepository(s.customers_table))
    sessions = GuestSessions(GuestSessionStore(s.identity_table), stores, Throttle(s.identity_table))
    return account, sessions


def _shopper(store: StoreId, request: Request) -> Caller:
    """A dependency, so a wrong token is refused (401) before the body is validated (400)."""
    return _deps()[0].caller(store, jwt_claims(request))


Shopper = Annotated[Caller, Depends(_shopper)]


@router.patch("/me", response_model=auth.ShopperMeOut)
def update_profile(store: StoreId, body: customers.ProfileIn, shopper: Shopper) -> auth.ShopperMeOut:
    change = ProfileChange.validated(body.name, body.phone)
    user = _deps()[0].update_profile(store, shopper, change)
    return auth.shopper_me_out(user, store)


@router.get("/me/addresses", response_model=customers.AddressesOut)
def list_addresses(store: StoreId, shopper: Shopper) -> customers.AddressesOut:
    return customers.addresses_out(_deps()[0].address_book(store, shopper))


@router.post("/me/addresses", status_code=201, response_model=customers.AddressOut)
def add_address(store: StoreId, body: customers.AddressIn, shopper: Shopper) -> customers.AddressOut:
    book, address = _deps()[0].add_address(store, shopper, body.fields(), make_default=body.default_shipping)
    return customers.address_out(book, address)


@router.put("/me/addresses/{address}", response_model=customers.AddressOut)
def replace_address(
    store: StoreId, address: AddressId, body: customers.AddressIn, shopper: Shopper
) -> customers.AddressOut:
    book, kept = _deps()[0].replace_address(store, shopper, address, body.fields(), make_default=body.default_shipping)
    return customers.address_out(book, kept)


@router.delete("/me/addresses/{address}", status_code=204)
def delete_address(store: StoreId, address: AddressId, shopper: Shopper) -> Response:
    _deps()[0].delete_address(store, shopper, address)
    return Response(status_code=204)


@router.post(
    "/sessions", status_code=201, response_model=customers.GuestSessionOut, responses={429: {"model": ErrorResponse}}
)
def start_guest_session(store: StoreId, request: Request) -> customers.GuestSessionOut:
    session = _deps()[1].start(store, source_ip(request))
    return customers.GuestSessionOut(session_id=session.session_id, expires_at=session.expires_at)


app = build_app("Nozzly shopper account", [router])
handler = http_handler(app)
