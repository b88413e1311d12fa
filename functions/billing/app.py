"""Plans and billing: the plans on sale (public), the signed-in operator's own billing overview, subscribing
through Stripe Checkout, the Stripe Customer Portal, and the billing webhook (public, signed).

The account is the operator who owns the stores; every route reads the caller's own, from the verified token,
so nobody reads or changes another account's. Checkout and the portal need `billing.manage` (a store's owner).
"""

from __future__ import annotations

from typing import Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.billing.contracts import billing as c
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.wiring import billing

OPERATORS = Realm()
CACHE = "public, max-age=300"  # plans change with a deployment, not per request
OWNER_ONLY: dict[int | str, dict[str, Any]] = {401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}}
router = APIRouter(tags=["billing"])


@router.get("/plans", response_model=c.PlanList)
def list_plans(response: Response) -> c.PlanList:
    response.headers["cache-control"] = CACHE
    return c.PlanList(items=[c.plan_out(p) for p in billing.billing_desk().plans()])


@router.get("/billing", response_model=c.BillingOut, responses={401: {"model": ErrorResponse}})
def get_billing(request: Request) -> c.BillingOut:
    me = caller_from_claims(jwt_claims(request), OPERATORS).sub
    return c.billing_out(billing.billing_desk().overview(me))


@router.post(
    "/billing/checkout",
    response_model=c.SubscriptionCheckoutOut,
    responses={**OWNER_ONLY, 409: {"model": ErrorResponse}},
)
def start_checkout(request: Request, body: c.SubscriptionCheckoutIn) -> c.SubscriptionCheckoutOut:
    claims = jwt_claims(request) or {}
    me = caller_from_claims(claims, OPERATORS).sub
    email = claims.get("email") if isinstance(claims.get("email"), str) else None
    session_id, url = billing.subscribing().checkout(me, email, body.plan, body.interval)
    return c.SubscriptionCheckoutOut(session_id=session_id, url=url)


@router.post("/billing/portal", response_model=c.PortalOut, responses={**OWNER_ONLY, 409: {"model": ErrorResponse}})
def open_portal(request: Request) -> c.PortalOut:
    me = caller_from_claims(jwt_claims(request), OPERATORS).sub
    return c.PortalOut(url=billing.subscribing().portal(me))


@router.post("/webhooks/stripe-billing", response_model=c.BillingWebhookAck, responses={409: {"model": ErrorResponse}})
async def billing_webhook(request: Request) -> c.BillingWebhookAck:
    body = await request.body()
    receipt = billing.billing_webhooks().receive(body, dict(request.headers), request.scope.get("aws.context"))
    return c.BillingWebhookAck(received=True, event_id=receipt.event_id, outcome=receipt.outcome)


app = build_app("Nozzly billing", [router])
handler = http_handler(app)
