"""Plans and billing: the plans on sale (public) and the signed-in operator's own billing overview.

The account is the operator who owns the stores; `GET /billing` reads the caller's own, from the verified
token, so nobody reads another account's.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.billing.contracts import billing as c
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.wiring import billing

OPERATORS = Realm()
CACHE = "public, max-age=300"  # plans change with a deployment, not per request
router = APIRouter(tags=["billing"])


@router.get("/plans", response_model=c.PlanList)
def list_plans(response: Response) -> c.PlanList:
    response.headers["cache-control"] = CACHE
    return c.PlanList(items=[c.plan_out(p) for p in billing.billing_desk().plans()])


@router.get("/billing", response_model=c.BillingOut, responses={401: {"model": ErrorResponse}})
def get_billing(request: Request) -> c.BillingOut:
    me = caller_from_claims(jwt_claims(request), OPERATORS).sub
    return c.billing_out(billing.billing_desk().overview(me))


app = build_app("Nozzly billing", [router])
handler = http_handler(app)
