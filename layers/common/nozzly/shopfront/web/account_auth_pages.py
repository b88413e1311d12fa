"""Sign up, confirm the email, log in (the guest cart joins the account's), log out, forgot and reset password.

Each form calls the same Accounts use case as the JSON routes (functions/shopper_auth/app.py) and reads its fields
with the same request contracts; a refusal shows the form again with the problem in plain words.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from nozzly.accounts.contracts import auth
from nozzly.accounts.domain.accounts import Caller, EmailNotConfirmed, InvalidCredentials
from nozzly.gateway_context import source_ip
from nozzly.kernel.domain.errors import DomainError, NotFound, Unauthorized
from nozzly.shopfront.domain.account_text import local_next
from nozzly.shopfront.domain.forms import sentence
from nozzly.shopfront.domain.forms import text as field
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web import session
from nozzly.shopfront.web.account_common import Deps, StoreId, refusal, see_other
from nozzly.shopfront.web.rendering import Storefront, render, storefront
from nozzly.shopfront.web.shop import Shop
from nozzly.shopfront.web.shopper import shopper_email, sign_in, signed_in_shopper

router = APIRouter(prefix="/shop/{store}/account")
WRONG_PASSWORD = "That email and password do not match an account at this shop. Please check them and try again."


def _page(
    request: Request, front: Storefront, template: str, title: str, status: int = 200, **context: Any
) -> Response:
    context = {"error": None, "values": {}, "next": ""} | context
    return render(request, front, template, PageMeta(title=title, noindex=True), status=status, **context)


def _password_rules(shop: Shop, store: str) -> str:
    return sentence(shop.accounts(store).realm.passwords.describe())


# ---- sign up and confirm
@router.get("/signup")
def signup_form(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    return _page(request, front, "account_signup.html", "Create an account", rules=_password_rules(shop, store))


@router.post("/signup")
async def sign_up(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    values = {"name": field(form, "name", 200), "email": field(form, "email", 600)}
    try:
        body = auth.SignUpIn(email=values["email"], password=str(form.get("password") or ""), name=values["name"])
        shop.accounts(store).sign_up(body.email, body.password, body.name or None, source_ip(request))
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        rules = _password_rules(shop, store)
        return _page(
            request, front, "account_signup.html", "Create an account", status, error=words, values=values, rules=rules
        )
    return see_other(front.site.url("/account/verify", email=body.email, sent="signup"))


@router.get("/verify")
def verify_form(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    values = {"email": request.query_params.get("email", "")[:600]}
    sent = request.query_params.get("sent") == "signup"
    return _page(request, front, "account_verify.html", "Confirm your email", values=values, sent=sent)


@router.post("/verify")
async def verify(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    values = {"email": field(form, "email", 600)}
    try:
        body = auth.ConfirmIn(email=values["email"], code=field(form, "code", 20))
        shop.accounts(store).confirm(body.email, body.code)
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        return _page(
            request, front, "account_verify.html", "Confirm your email", status, error=words, values=values, sent=False
        )
    return see_other(front.site.url("/account/login", email=body.email, done="verified"))


# ---- log in and out
@router.get("/login")
def login_form(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    values = {"email": request.query_params.get("email", "")[:600]}
    done = request.query_params.get("done", "")
    next_path = local_next(request.query_params.get("next"), front.site.base) or ""
    return _page(request, front, "account_login.html", "Log in", values=values, done=done, next=next_path)


@router.post("/login")
async def log_in(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    values = {"email": field(form, "email", 600)}
    next_path = local_next(field(form, "next", 1000), front.site.base) or ""
    accounts = shop.accounts(store)
    try:
        body = auth.LogInIn(email=values["email"], password=str(form.get("password") or ""))
        tokens = accounts.log_in(body.email, body.password, source_ip(request))
        caller = accounts.caller_of_token(tokens.access_token)
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        if isinstance(error, InvalidCredentials):
            words = WRONG_PASSWORD
        unconfirmed = isinstance(error, EmailNotConfirmed)
        if unconfirmed:
            words = "Please confirm your email address first, with the 6-digit code we emailed you."
        context = {"values": values, "next": next_path, "done": "", "unconfirmed": unconfirmed}
        return _page(request, front, "account_login.html", "Log in", status, error=words, **context)
    response = see_other(next_path or front.site.url("/account"))
    sign_in(response, front.site, tokens)
    _merge_guest_cart(request, shop, caller, response, front)
    return response


def _merge_guest_cart(request: Request, shop: Shop, caller: Caller, response: Response, front: Storefront) -> None:
    """The guest's cart joins the account's (the same merge as POST /me/cart/merge); the header counts it."""
    from nozzly.sales.domain.carts import CartOf, CartOwner  # the cart model: signing in, not every page

    store = front.store.store_id
    mine = CartOf(CartOwner.SHOPPER, caller.sub, email=shopper_email(caller) or None)
    guest = request.cookies.get(session.GUEST)
    carts = shop.carts()
    snapshot = None
    if guest:
        with suppress(NotFound):  # an expired or unknown session has no cart to bring
            snapshot = carts.merge(store, mine, guest)
        session.clear_cookie(response, front.site, session.GUEST)
    if snapshot is None:
        snapshot = carts.view(store, mine)
    session.set_cookie(response, front.site, session.CART_COUNT, str(snapshot.cart.item_count), session.MONTH)


@router.post("/logout")
async def log_out(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    await session.posted_form(request)
    caller = signed_in_shopper(request, shop, store)
    queued = session.queued_cookies(request).get(session.ACCESS, (None, 0))[0]
    token = queued or request.cookies.get(session.ACCESS)
    if caller is not None:
        with suppress(Unauthorized):  # a token that ran out meanwhile: the cookies go all the same
            shop.accounts(store).log_out(caller, token)
    # Queued, not set on the response: the middleware sets queued cookies last (a refreshed token among them).
    for name in (session.ACCESS, session.REFRESH, session.CART_COUNT, session.LIVE):
        session.queue_cookie(request, name, None)
    return see_other(front.site.url("/account/login", done="logged-out"))


# ---- forgotten password
@router.get("/forgot")
def forgot_form(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    values = {"email": request.query_params.get("email", "")[:600]}
    return _page(request, front, "account_forgot.html", "Forgot your password?", values=values)


@router.post("/forgot")
async def forgot(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    values = {"email": field(form, "email", 600)}
    try:
        body = auth.ForgotPasswordIn(email=values["email"])
        shop.accounts(store).forgot_password(body.email, source_ip(request))
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        return _page(request, front, "account_forgot.html", "Forgot your password?", status, error=words, values=values)
    return see_other(front.site.url("/account/reset", email=body.email, sent="reset"))


@router.get("/reset")
def reset_form(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    values = {"email": request.query_params.get("email", "")[:600]}
    sent = request.query_params.get("sent") == "reset"
    rules = _password_rules(shop, store)
    return _page(request, front, "account_reset.html", "Choose a new password", values=values, sent=sent, rules=rules)


@router.post("/reset")
async def reset(store: StoreId, request: Request, shop: Deps) -> Response:
    front = storefront(request, shop, store)
    form = await session.posted_form(request)
    values = {"email": field(form, "email", 600)}
    try:
        body = auth.ResetPasswordIn(
            email=values["email"], code=field(form, "code", 20), new_password=str(form.get("new_password") or "")
        )
        shop.accounts(store).reset_password(body.email, body.code, body.new_password, source_ip(request))
    except (ValidationError, DomainError) as error:
        status, words = refusal(error)
        rules = _password_rules(shop, store)
        context = {"values": values, "sent": False, "rules": rules}
        return _page(request, front, "account_reset.html", "Choose a new password", status, error=words, **context)
    return see_other(front.site.url("/account/login", email=body.email, done="reset"))
