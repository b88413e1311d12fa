"""A store's payout settings (OperatorJwt): where its card payments are paid out, Stripe Connect onboarding, and
its own Square account through Square OAuth (authorize link, public callback, disconnect).

services.tenancy decides the operator routes (settings.manage: admins and the owner); the public callback
trusts only its one-use state. No answer carries a provider secret.
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.payments.contracts import payouts as c
from nozzly.wiring import payments

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/settings/payouts",
    tags=["payouts"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
callbacks = APIRouter(prefix="/payouts", tags=["payouts"], responses={400: {"model": ErrorResponse}})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=c.PayoutsOut)
def get_payouts(store: StoreId, request: Request) -> c.PayoutsOut:
    service = payments.payouts()
    stripe, square = service.accounts_of(store, _me(request))
    return c.payouts_out(stripe, square, service.default_fee_basis_points)


@router.post("/stripe/onboarding", response_model=c.OnboardingOut)
def start_stripe_onboarding(store: StoreId, body: c.OnboardingIn, request: Request) -> c.OnboardingOut:
    service = payments.payouts()
    account, link = service.start_stripe_onboarding(store, _me(request), body.return_url, body.refresh_url)
    return c.onboarding_out(account, link, service.default_fee_basis_points)


@router.get("/square/authorize", response_model=c.SquareAuthorizeOut)
def authorize_square(store: StoreId, request: Request) -> c.SquareAuthorizeOut:
    url, expires_at = payments.square_connect().authorize_url(store, _me(request))
    return c.SquareAuthorizeOut(url=url, expires_at=expires_at)


@router.delete("/square", status_code=204)
def disconnect_square(store: StoreId, request: Request) -> Response:
    payments.square_connect().disconnect(store, _me(request))
    return Response(status_code=204)


@callbacks.get("/square/callback", response_model=c.SquareConnectedOut)
def square_callback(
    state: Annotated[str, Query(min_length=1, max_length=200)],
    code: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> c.SquareConnectedOut:
    if error or not code:
        raise InvalidInput(f"Square did not authorize the connection: {error or 'no code'}", field="code")
    store, connection = payments.square_connect().complete(state, code)
    return c.SquareConnectedOut(store=store, square=c.square_out(connection))


app = build_app("Nozzly payouts", [router, callbacks])
handler = http_handler(app)
