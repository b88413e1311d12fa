"""A store's payout settings (OperatorJwt): where its card payments are paid out, and Stripe Connect onboarding.

GET /admin/stores/{store}/settings/payouts and POST .../settings/payouts/stripe/onboarding; services.tenancy
decides (settings.manage: admins and the owner). No answer carries a provider secret.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.payments.contracts import payouts as c
from nozzly.wiring import payments

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/settings/payouts",
    tags=["payouts"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=c.PayoutsOut)
def get_payouts(store: StoreId, request: Request) -> c.PayoutsOut:
    service = payments.payouts()
    return c.payouts_out(service.stripe_account(store, _me(request)), service.default_fee_basis_points)


@router.post("/stripe/onboarding", response_model=c.OnboardingOut)
def start_stripe_onboarding(store: StoreId, body: c.OnboardingIn, request: Request) -> c.OnboardingOut:
    service = payments.payouts()
    account, link = service.start_stripe_onboarding(store, _me(request), body.return_url, body.refresh_url)
    return c.onboarding_out(account, link, service.default_fee_basis_points)


app = build_app("Nozzly payouts", [router])
handler = http_handler(app)
