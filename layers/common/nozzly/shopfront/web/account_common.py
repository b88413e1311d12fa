"""What the account pages share: the signed-in shopper or a way to log in, form reading, errors in plain words."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Depends, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from nozzly.accounts.domain.accounts import Caller
from nozzly.kernel.domain.errors import DomainError, TooManyRequests
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.account_text import wait_words
from nozzly.shopfront.domain.forms import sentence
from nozzly.shopfront.web import errors
from nozzly.shopfront.web.rendering import Storefront, storefront
from nozzly.shopfront.web.shop import Shop, shop_of
from nozzly.shopfront.web.shopper import signed_in_shopper

StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
SEE_OTHER: Final = 303


def see_other(url: str) -> RedirectResponse:
    """After a form: the browser GETs `url` (a reload does not send the form again)."""
    return RedirectResponse(url, status_code=SEE_OTHER)


def here(request: Request, front: Storefront) -> str:
    """This page's address as the shopper's browser knows it (on a store's own domain there is no /shop/x)."""
    rest = request.url.path.removeprefix(f"/shop/{front.store.store_id}") or "/"
    query = request.url.query
    return front.site.url(rest) + (f"?{query}" if query else "")


def shopper_or_login(request: Request, shop: Shop, store_id: str) -> tuple[Storefront, Caller | RedirectResponse]:
    """The page's store and its signed-in shopper, or a redirect to the login page that comes back here."""
    front = storefront(request, shop, store_id)
    caller = signed_in_shopper(request, shop, store_id)
    if caller is None:
        # A form sent after the session ended comes back to the account, not to a POST-only address.
        back = here(request, front) if request.method == "GET" else front.site.url("/account")
        return front, see_other(front.site.url("/account/login", next=back))
    return front, caller


def claims_of(caller: Caller) -> dict[str, str]:
    """The claims an authorizer passes for an access token, for services that take claims: the page checked
    the cookie's token with Cognito (Accounts.caller_of_token), which is what the authorizer does."""
    return {"sub": caller.sub, "username": caller.username, "token_use": "access"}


def problem(error: DomainError) -> tuple[int, str]:
    """A service's refusal as the status and the words a form shows above itself."""
    if isinstance(error, TooManyRequests):
        return 429, f"Too many attempts. Please wait {wait_words(error.retry_after)} and try again."
    status = next((code for kind, code in errors.STATUS.items() if isinstance(error, kind)), 400)
    return status, sentence(error.message)


FIELD_WORDS: Final = {
    "email": "Please enter a valid email address.",
    "code": "Please enter the 6-digit code from the email.",
    "password": "Please enter a password (no spaces at its start or end).",
    "new_password": "Please enter a new password (no spaces at its start or end).",
    "name": "Please keep the name under 200 characters.",
    "rating": "Please choose from 1 to 5 stars.",
    "title": "Please keep the title shorter.",
    "text": "Please write a few words about the product (and keep it shorter than the limit).",
}


def invalid_words(error: ValidationError) -> str:
    """The first problem a request contract found, in the words of the form's field."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first.get("loc") else ""
    return FIELD_WORDS.get(name) or sentence(str(first.get("msg", "Please check the form.")))


def refusal(error: ValidationError | DomainError) -> tuple[int, str]:
    """A form's refusal: by the request contract (400) or by the service."""
    return (400, invalid_words(error)) if isinstance(error, ValidationError) else problem(error)
