"""A store's shopper accounts: sign up, confirm, log in, refresh, log out everywhere, forgot/reset, me.

Each store's shoppers are their own realm: the same email can hold one account per store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.contracts import auth
from nozzly.accounts.domain.accounts import caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import bearer_token, jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import accounts
from nozzly.wiring import stores as wired_stores

if TYPE_CHECKING:
    from nozzly.accounts.services.accounts import Accounts

router = APIRouter(
    generate_unique_id_function=operation_ids("shopper"),
    prefix="/stores/{store}",
    responses={s: {"model": ErrorResponse} for s in (401, 403, 429)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


def _accounts(store_id: str) -> Accounts:
    from nozzly.accounts.services.identity import shopper_realm

    realm = shopper_realm(wired_stores.stores_repository(), store_id)  # 404 for an unknown or deleted store
    return accounts.account_backends().accounts(realm)


@router.post("/auth/signup", status_code=202, response_model=auth.AcceptedOut)
def sign_up(store: StoreId, body: auth.SignUpIn, request: Request) -> auth.AcceptedOut:
    _accounts(store).sign_up(body.email, body.password, body.name, source_ip(request))
    return auth.signup_accepted()


@router.post("/auth/confirm", status_code=204)
def confirm(store: StoreId, body: auth.ConfirmIn) -> Response:
    _accounts(store).confirm(body.email, body.code)
    return Response(status_code=204)


@router.post("/auth/login", response_model=auth.TokensOut)
def log_in(store: StoreId, body: auth.LogInIn, request: Request) -> auth.TokensOut:
    return auth.tokens_out(_accounts(store).log_in(body.email, body.password, source_ip(request)))


@router.post("/auth/refresh", response_model=auth.RefreshedOut)
def refresh(store: StoreId, body: auth.RefreshIn) -> auth.RefreshedOut:
    return auth.refreshed_out(_accounts(store).refresh(body.refresh_token))


@router.post("/auth/forgot-password", status_code=202, response_model=auth.AcceptedOut)
def forgot_password(store: StoreId, body: auth.ForgotPasswordIn, request: Request) -> auth.AcceptedOut:
    _accounts(store).forgot_password(body.email, source_ip(request))
    return auth.reset_accepted()


@router.post("/auth/reset-password", status_code=204)
def reset_password(store: StoreId, body: auth.ResetPasswordIn, request: Request) -> Response:
    _accounts(store).reset_password(body.email, body.code, body.new_password, source_ip(request))
    return Response(status_code=204)


@router.post("/auth/logout", status_code=204)
def log_out(store: StoreId, request: Request) -> Response:
    accounts = _accounts(store)
    accounts.log_out(caller_from_claims(jwt_claims(request), accounts.realm), bearer_token(request))
    return Response(status_code=204)


@router.get("/me", response_model=auth.ShopperMeOut)
def me(store: StoreId, request: Request) -> auth.ShopperMeOut:
    accounts = _accounts(store)
    return auth.shopper_me_out(accounts.me(caller_from_claims(jwt_claims(request), accounts.realm)), store)


app = build_app("Nozzly shopper accounts", [router])
handler = http_handler(app)
