"""Operators and an order's money (OperatorJwt): read an order, refund it, mark a cash-on-delivery order paid.

The store comes from the path and the caller from the verified token; services.tenancy decides (orders.read,
refunds.create for admins and the owner, orders.manage).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Header, Path, Request

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts import orders as contracts
from nozzly.wiring import orders, stores

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("admin"),
    prefix="/admin/stores/{store}/orders/{order}",
    tags=["orders"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
OrderId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=64, description="The order's id.")]
# Optional here, required by the service after the permission check: a caller who may not refund is told
# so (403), not that a header is missing.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Required: 8 to 100 characters, unique per refund; repeating it returns the same refund.",
    ),
]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _prefix(store: str) -> str:
    return stores.order_number_prefix()(store)


@router.get("", response_model=contracts.OperatorOrderOut)
def get_order(store: StoreId, order: OrderId, request: Request) -> contracts.OperatorOrderOut:
    return contracts.operator_order_out(orders.order_payments().get(store, _me(request), order), _prefix(store))


@router.post("/refunds", status_code=201, response_model=contracts.RefundResultOut)
def refund_order(
    store: StoreId, order: OrderId, body: contracts.RefundIn, request: Request, key: IdempotencyKey = None
) -> contracts.RefundResultOut:
    """Refund part of what was paid, or (no amount) all that is left, through the payment provider. Never more
    than paid minus already refunded (409). The same Idempotency-Key returns the same refund."""
    amount = body.amount.to_domain() if body.amount else None
    found, refund = orders.order_payments().refund(
        store, _me(request), order, key=key, amount=amount, reason=body.reason
    )
    return contracts.refund_result_out(found, refund, _prefix(store))


@router.post("/mark-paid", response_model=contracts.OperatorOrderOut)
def mark_paid(store: StoreId, order: OrderId, request: Request) -> contracts.OperatorOrderOut:
    """Cash on delivery: the money was collected. awaiting_payment -> paid, once (409 after)."""
    return contracts.operator_order_out(orders.order_payments().mark_paid(store, _me(request), order), _prefix(store))


app = build_app("Nozzly order payments", [router])
handler = http_handler(app)
