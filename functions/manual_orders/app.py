"""Operators enter orders by hand (OperatorJwt): POST /admin/stores/{store}/orders with an Idempotency-Key.

The store comes from the path and the caller from the verified token; services.tenancy decides (orders.manage)
before anything else is looked at. The stock is held as a checkout holds it; sales/services/manual_orders.py says how.
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Header, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts import orders as contracts
from nozzly.sales.contracts.manual_orders import ManualOrderIn
from nozzly.wiring import sales, stores

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/orders",
    tags=["orders"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
# Optional here, required by the service after the permission check: a caller who may not create orders is told
# so (403), not that a header is missing.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Required: 8 to 100 characters, unique per order; repeating it returns the same order.",
    ),
]


@router.post("", status_code=201, response_model=contracts.OperatorOrderOut)
def create_order(
    store: StoreId, body: ManualOrderIn, request: Request, response: Response, key: IdempotencyKey = None
) -> contracts.OperatorOrderOut:
    """A phone or counter sale as an order (pending), its stock held exactly as a checkout holds it: 409 naming
    the line when there is too little, and nothing is held. Prices are today's catalog prices; taxes and
    shipping as at checkout. 201 with the order; a retry with the same Idempotency-Key answers 200 with the same
    order and changes nothing; the same key with another body is 409."""
    sub = caller_from_claims(jwt_claims(request), OPERATORS).sub
    order, created = sales.manual_orders().create(store, sub, key, body.request())
    if not created:
        response.status_code = 200
    response.headers["location"] = f"/admin/stores/{store}/orders/{order.order_id}"
    return contracts.operator_order_out(order, stores.order_number_prefix()(store))


app = build_app("Nozzly manual orders", [router])
handler = http_handler(app)
