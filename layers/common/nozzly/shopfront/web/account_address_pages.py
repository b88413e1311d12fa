"""The shopper's address book: list, add, edit, delete (ShopperAccount, as /me/addresses uses it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import ValidationError

from nozzly.accounts.domain.accounts import Caller
from nozzly.customers.contracts import customers
from nozzly.customers.domain.customers import ADDRESS_ID_PATTERN
from nozzly.kernel.domain.errors import DomainError
from nozzly.shopfront.domain.forms import text as field
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.account_common import Deps, StoreId, refusal, see_other, shopper_or_login
from nozzly.shopfront.web.rendering import Storefront, render

router = APIRouter(prefix="/shop/{store}/account/addresses")
AddressId = Annotated[str, Path(pattern=ADDRESS_ID_PATTERN)]
FIELDS: Final = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
OPTIONAL: Final = ("line2", "region", "phone")
COUNTRY_WORDS: Final = "Please enter the country as its two-letter code, like DE for Germany or FR for France."


def _values(form: Mapping[str, object]) -> dict[str, str]:
    return {name: field(form, name) for name in FIELDS} | {"default": "1" if field(form, "default") else ""}


def _address_in(values: dict[str, str]) -> customers.AddressIn:
    given: dict[str, Any] = {k: (values[k] or None) if k in OPTIONAL else values[k] for k in FIELDS}
    return customers.AddressIn(**given, default_shipping=bool(values["default"]))


def _words(error: ValidationError | DomainError) -> tuple[int, str]:
    status, words = refusal(error)
    return status, COUNTRY_WORDS if isinstance(error, DomainError) and error.field == "country" else words


def _form(
    request: Request,
    front: Storefront,
    values: dict[str, str],
    address_id: str | None,
    status: int = 200,
    **context: Any,
) -> Response:
    title = "Edit address" if address_id else "Add an address"
    context = {"error": None} | context
    meta = PageMeta(title=title, noindex=True)
    return render(
        request, front, "account_address.html", meta, status=status, values=values, address_id=address_id, **context
    )


@router.get("")
def address_book(store: StoreId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    book = customers.addresses_out(shop.shopper_account().address_book(store, caller))
    done = request.query_params.get("done", "")
    meta = PageMeta(title="Your addresses", noindex=True)
    return render(request, front, "account_addresses.html", meta, addresses=book.addresses, done=done, error=None)


@router.get("/new")
def new_address(store: StoreId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    return _form(request, front, dict.fromkeys((*FIELDS, "default"), ""), None)


@router.post("/new")
async def add_address(store: StoreId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    form = await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    values = _values(form)
    try:
        body = _address_in(values)
        shop.shopper_account().add_address(store, caller, body.fields(), make_default=body.default_shipping)
    except (ValidationError, DomainError) as error:
        status, words = _words(error)
        return _form(request, front, values, None, status, error=words)
    return see_other(front.site.url("/account/addresses", done="added"))


@router.get("/{address}")
def edit_address(store: StoreId, address: AddressId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    if not isinstance(caller, Caller):
        return caller
    book = shop.shopper_account().address_book(store, caller)
    found = customers.address_out(book, book.find(address))  # 404 page for an address not in the book
    values = {name: getattr(found, name) or "" for name in FIELDS} | {
        "default": "1" if found.is_default_shipping else ""
    }
    return _form(request, front, values, address)


@router.post("/{address}")
async def replace_address(store: StoreId, address: AddressId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    form = await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    values = _values(form)
    try:
        body = _address_in(values)
        shop.shopper_account().replace_address(
            store, caller, address, body.fields(), make_default=body.default_shipping
        )
    except (ValidationError, DomainError) as error:
        status, words = _words(error)
        return _form(request, front, values, address, status, error=words)
    return see_other(front.site.url("/account/addresses", done="saved"))


@router.post("/{address}/delete")
async def delete_address(store: StoreId, address: AddressId, request: Request, shop: Deps) -> Response:
    front, caller = shopper_or_login(request, shop, store)
    await session.posted_form(request)
    if not isinstance(caller, Caller):
        return caller
    shop.shopper_account().delete_address(store, caller, address)  # 404 page for an address not in the book
    return see_other(front.site.url("/account/addresses", done="deleted"))
