"""Operator accounts: sign up, confirm, log in, refresh, log out everywhere, forgot/reset password, me."""

from __future__ import annotations

from typing import TYPE_CHECKING

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Request, Response

from nozzly.accounts.contracts import auth
from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import bearer_token, jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.wiring import accounts

if TYPE_CHECKING:
    from nozzly.accounts.services.accounts import Accounts

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("operator"),
    responses={s: {"model": ErrorResponse} for s in (401, 403, 429)},
)


def _accounts() -> Accounts:
    return accounts.account_backends().accounts(OPERATORS)


@router.post("/auth/signup", status_code=202, response_model=auth.AcceptedOut)
def sign_up(body: auth.SignUpIn, request: Request) -> auth.AcceptedOut:
    _accounts().sign_up(body.email, body.password, body.name, source_ip(request))
    return auth.signup_accepted()


@router.post("/auth/confirm", status_code=204)
def confirm(body: auth.ConfirmIn) -> Response:
    _accounts().confirm(body.email, body.code)
    return Response(status_code=204)


REFRESH_COOKIE_SECONDS = 7 * 24 * 3600  # the operator pool client's refresh token validity


def _refresh_cookie(response: Response, request: Request, value: str | None) -> None:
    # Secure everywhere but plain http on the developer's own machine, where the browser would drop it.
    secure = not (request.url.scheme == "http" and request.url.hostname in ("127.0.0.1", "localhost"))
    if value is None:
        response.delete_cookie(auth.REFRESH_COOKIE, path="/auth", secure=secure, httponly=True, samesite="strict")
        return
    response.set_cookie(
        auth.REFRESH_COOKIE,
        value,
        REFRESH_COOKIE_SECONDS,
        path="/auth",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


@router.post("/auth/login", response_model=auth.OperatorTokensOut)
def log_in(body: auth.OperatorLogInIn, request: Request, response: Response) -> auth.OperatorTokensOut:
    tokens = _accounts().log_in(body.email, body.password, source_ip(request))
    in_cookie = body.session == "cookie"
    if in_cookie:
        _refresh_cookie(response, request, tokens.refresh_token)
    return auth.operator_tokens_out(tokens, in_cookie)


@router.post("/auth/refresh", response_model=auth.RefreshedOut)
def refresh(body: auth.OperatorRefreshIn, request: Request) -> auth.RefreshedOut:
    token = body.refresh_token or request.cookies.get(auth.REFRESH_COOKIE)
    if not token:
        # Missing input, not a refused credential: 401 stays the answer for a token Cognito refuses.
        raise InvalidInput("send refresh_token, or log in with session: cookie first", field="refresh_token")
    return auth.refreshed_out(_accounts().refresh(token))


@router.post("/auth/forgot-password", status_code=202, response_model=auth.AcceptedOut)
def forgot_password(body: auth.ForgotPasswordIn, request: Request) -> auth.AcceptedOut:
    _accounts().forgot_password(body.email, source_ip(request))
    return auth.reset_accepted()


@router.post("/auth/reset-password", status_code=204)
def reset_password(body: auth.ResetPasswordIn, request: Request) -> Response:
    _accounts().reset_password(body.email, body.code, body.new_password, source_ip(request))
    return Response(status_code=204)


@router.post("/auth/logout", status_code=204)
def log_out(request: Request) -> Response:
    caller = caller_from_claims(jwt_claims(request), OPERATORS)
    _accounts().log_out(caller, bearer_token(request))
    response = Response(status_code=204)
    _refresh_cookie(response, request, None)
    return response


@router.get("/me", response_model=auth.MeOut)
def me(request: Request) -> auth.MeOut:
    return auth.me_out(_accounts().me(caller_from_claims(jwt_claims(request), OPERATORS)))


app = build_app("Nozzly operator accounts", [router])
handler = http_handler(app)
