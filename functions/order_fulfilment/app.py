"""Operators moving orders along (OperatorJwt, orders.manage): fulfil lines through the "fulfil order" workflow,
change a fulfilment's tracking, change the order's status (processing, shipped, delivered, cancelled, refunded);
and (orders.read) what became of a fulfilment.

The store comes from the path and the caller from the verified token; services.tenancy decides before anything
else is looked at.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts import fulfilment as contracts
from nozzly.orders.contracts.orders import OperatorOrderOut, operator_order_out
from nozzly.wiring import orders, stores

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/orders/{order}",
    tags=["orders"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
OrderId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=64, description="The order's id.")]
FulfilmentId = Annotated[str, Path(max_length=64, description="The fulfilment's id (ff-...).")]
# Also the name of its workflow execution: only characters an execution name may hold.
RequestedFulfilmentId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]+$", max_length=64, description="The fulfilment's id (ff-...).")
]
# Optional here, required by the service after the permission check: a caller who may not fulfil is told
# so (403), not that a header is missing.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Required: 8 to 100 characters, one per fulfilment; repeating it returns the same fulfilment.",
    ),
]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _accepted(body: contracts.FulfilmentAcceptedOut) -> JSONResponse:
    return JSONResponse(status_code=202, content=body.model_dump(mode="json"))


@router.post("/fulfilments", status_code=202, response_model=contracts.FulfilmentAcceptedOut)
def fulfil(
    store: StoreId, order: OrderId, body: contracts.FulfilmentIn, request: Request, key: IdempotencyKey = None
) -> Any:
    """Ship some lines (or, without `lines`, everything left): judged at once (4xx, nothing changed), then the
    "fulfil order" workflow commits their stock, records the fulfilment, marks the order shipped once nothing is
    left and emails the shopper. The same Idempotency-Key answers the same fulfilment."""
    found, fulfilment = orders.order_fulfilment().fulfil(
        store, _me(request), order, key=key, lines=body.requested(), tracking=body.tracking()
    )
    return _accepted(contracts.accepted_out(found, fulfilment))


@router.get("/fulfilments/{fulfilment}", response_model=contracts.FulfilmentStatusOut)
def fulfilment_status(
    store: StoreId, order: OrderId, fulfilment: RequestedFulfilmentId, request: Request
) -> contracts.FulfilmentStatusOut:
    """What became of a fulfilment: `recorded` (on the order, stock committed), `requested` (the workflow is still
    committing it) or `refused` (the workflow ended without shipping anything: `refusal` says why)."""
    return contracts.status_out(orders.order_fulfilment().status(store, _me(request), order, fulfilment))


@router.patch("/fulfilments/{fulfilment}", response_model=OperatorOrderOut)
def update_tracking(
    store: StoreId, order: OrderId, fulfilment: FulfilmentId, body: contracts.TrackingIn, request: Request
) -> OperatorOrderOut:
    """Change a fulfilment's carrier, tracking number or URL (only the fields sent; null clears one)."""
    changed = orders.order_fulfilment().update_tracking(store, _me(request), order, fulfilment, body.changes())
    return operator_order_out(changed, stores.order_number_prefix()(store))


@router.post(
    "/status",
    response_model=OperatorOrderOut,
    responses={202: {"model": contracts.FulfilmentAcceptedOut, "description": "shipped: the workflow started"}},
)
def change_status(store: StoreId, order: OrderId, body: contracts.StatusIn, request: Request) -> Any:
    """Move the order: pending -> processing -> shipped -> delivered, cancelled before anything ships (stock back,
    payment refunded), refunded after shipping (a return). A move the order may not make is 409 with `allowed`.
    `shipped` fulfils everything left through the workflow and answers 202."""
    tracking = body.tracking() if body.has_tracking else None
    found, fulfilment = orders.order_fulfilment().change_status(
        store, _me(request), order, status=body.status, note=body.note, tracking=tracking
    )
    if fulfilment is not None:
        return _accepted(contracts.accepted_out(found, fulfilment))
    return operator_order_out(found, stores.order_number_prefix()(store))


app = build_app("Nozzly order fulfilment", [router])
handler = http_handler(app)
